-- Event webhooks to partner clinics: the endpoints a clinic registered, one delivery per event and endpoint, each
-- attempt, and the notices that tell a clinic an endpoint was disabled.
create table webhook_subscription (
    id uuid primary key,
    clinic_id uuid not null,
    url text not null,
    event_types text[] not null,
    secret text not null,
    previous_secret text,
    previous_secret_expires_at timestamptz,
    status text not null default 'active' check (status in ('active', 'disabled')),
    disabled_at timestamptz,
    disabled_reason text,
    consecutive_failures int not null default 0,
    failing_since timestamptz,
    created_at timestamptz not null
);
create index webhook_subscription_by_clinic on webhook_subscription (clinic_id, created_at, id);

create table webhook_delivery (
    id uuid primary key,
    subscription_id uuid not null references webhook_subscription (id) on delete cascade,
    clinic_id uuid not null,
    event_id uuid not null,
    event_type text not null,
    ordering_key text,
    version bigint,
    payload text not null,
    status text not null default 'pending' check (status in ('pending', 'sending', 'delivered', 'failed')),
    attempts int not null default 0,
    next_attempt_at timestamptz not null,
    retry_until timestamptz not null,
    claim_id uuid,
    lease_until timestamptz,
    last_attempt_at timestamptz,
    last_status_code int,
    last_error text,
    delivered_at timestamptz,
    created_at timestamptz not null,
    unique (subscription_id, event_id)
);
create index webhook_delivery_due on webhook_delivery (next_attempt_at) where status in ('pending', 'sending');
create index webhook_delivery_in_order on webhook_delivery (subscription_id, ordering_key, version) where status in ('pending', 'sending');
create index webhook_delivery_log on webhook_delivery (subscription_id, created_at, id);

create table webhook_attempt (
    delivery_id uuid not null references webhook_delivery (id) on delete cascade,
    attempt int not null,
    attempted_at timestamptz not null,
    status_code int,
    error text,
    duration_ms int not null,
    primary key (delivery_id, attempt)
);

create table webhook_notice (
    id uuid primary key,
    clinic_id uuid not null,
    subscription_id uuid not null,
    kind text not null,
    detail text not null,
    created_at timestamptz not null
);
create index webhook_notice_by_clinic on webhook_notice (clinic_id, created_at, id);
