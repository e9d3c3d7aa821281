using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Engagement.Domain;

namespace VirtualIop.Engagement.Data;

public enum RecipientKind
{
    Family,
    SupportPerson
}

public sealed record NewConsent(string RecipientName, string RecipientContact, RecipientKind RecipientKind, string Purpose, ConsentScope Scope,
    DateTimeOffset ExpiresAt, DateOnly SignedOn);

public sealed record ConsentView(Guid Id, Guid PatientId, string RecipientName, string RecipientContact, RecipientKind RecipientKind, string Purpose,
    ConsentScope Scope, DateTimeOffset ExpiresAt, DateOnly SignedOn, DateTimeOffset GrantedAt, ConsentStatus Status, DateTimeOffset? RevokedAt,
    string? RevocationReason);

public sealed record DisclosureView(Guid Id, Guid ConsentId, string RecipientName, string Purpose, ConsentScope Scope, string Description,
    string DisclosedBy, DateTimeOffset DisclosedAt);

public enum ConsentChange
{
    Done,
    PatientUnknown,
    NotFound,
    NotValid
}

public sealed class Consents(NpgsqlDataSource db, Outbox outbox, FamilyInvolvement family, PatientAudit audit, TimeProvider clock)
{
    const string Columns = """
        id, patient_id, recipient_name, recipient_contact, recipient_kind, purpose, scope, expires_at, signed_on, granted_at,
        revoked_at, revocation_reason
        """;

    /// <summary>Records a consent for a patient the clinic knows and announces it (ids, scope and expiry only: no names travel).</summary>
    public async Task<(ConsentChange Change, ConsentView? Consent)> Grant(ClinicContext clinic, Guid patientId, NewConsent consent, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (!await PatientKnown(conn, tx, clinic.ClinicId, patientId, ct)) return (ConsentChange.PatientUnknown, null);
        var row = await conn.QuerySingleAsync<ConsentRow>(new CommandDefinition($"""
            insert into consent (id, clinic_id, patient_id, recipient_name, recipient_contact, recipient_kind, purpose, scope, expires_at,
                                 signed_on, granted_at, recorded_by)
            values (@Id, @Clinic, @Patient, @RecipientName, @RecipientContact, @RecipientKind, @Purpose, @Scope, @ExpiresAt,
                    @SignedOn::date, @Now, @Client)
            returning {Columns}
            """,
            new
            {
                Id = Guid.CreateVersion7(), Clinic = clinic.ClinicId, Patient = patientId, consent.RecipientName, consent.RecipientContact,
                RecipientKind = WireName.Of(consent.RecipientKind), consent.Purpose, Scope = WireName.Of(consent.Scope), consent.ExpiresAt,
                SignedOn = consent.SignedOn.ToString("yyyy-MM-dd"), Now = now, Client = clinic.ClientId
            }, tx, cancellationToken: ct));
        // The event's Purpose carries the scope code: the free-text purpose may hold clinical detail and stays here.
        await outbox.Add(conn, tx, new ConsentGranted(Guid.CreateVersion7(), clinic.ClinicId, row.Id, patientId, WireName.Of(consent.Scope),
            WireName.Of(consent.RecipientKind), consent.ExpiresAt, now), ct);
        await audit.Change(conn, tx, [patientId], ct);
        await tx.CommitAsync(ct);
        return (ConsentChange.Done, row.ToView(now));
    }

    /// <summary>
    /// Revokes a consent that is still valid, cancels the family-involvement tasks that relied on it, and announces it;
    /// a revoked or expired one answers NotValid.
    /// </summary>
    public async Task<(ConsentChange Change, ConsentView? Consent)> Revoke(ClinicContext clinic, Guid patientId, Guid consentId, string? reason, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var current = await Lock(conn, tx, clinic.ClinicId, patientId, consentId, ct);
        if (current is null) return (ConsentChange.NotFound, null);
        if (current.StatusAt(now) != ConsentStatus.Active) return (ConsentChange.NotValid, current.ToView(now));
        var row = await conn.QuerySingleAsync<ConsentRow>(new CommandDefinition($"""
            update consent set revoked_at = @Now, revoked_by = @Client, revocation_reason = @Reason
            where clinic_id = @Clinic and id = @Id
            returning {Columns}
            """, new { Now = now, Client = clinic.ClientId, Reason = reason, Clinic = clinic.ClinicId, Id = consentId }, tx, cancellationToken: ct));
        await family.CancelForRevokedConsent(conn, tx, clinic.ClinicId, consentId, clinic.ClientId, now, ct);
        await outbox.Add(conn, tx, new ConsentRevoked(Guid.CreateVersion7(), clinic.ClinicId, consentId, patientId, now), ct);
        await audit.Change(conn, tx, [patientId], ct);
        await tx.CommitAsync(ct);
        return (ConsentChange.Done, row.ToView(now));
    }

    /// <summary>
    /// Records a disclosure to a consent's recipient (§2.25), only while the consent is valid: the consent row is
    /// locked, so a revocation and a disclosure never cross.
    /// </summary>
    public async Task<(ConsentChange Change, DisclosureView? Disclosure, ConsentView? Consent)> Disclose(
        ClinicContext clinic, Guid patientId, Guid consentId, string description, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var consent = await Lock(conn, tx, clinic.ClinicId, patientId, consentId, ct);
        if (consent is null) return (ConsentChange.NotFound, null, null);
        if (consent.StatusAt(now) != ConsentStatus.Active) return (ConsentChange.NotValid, null, consent.ToView(now));
        var id = Guid.CreateVersion7();
        await conn.ExecuteAsync(new CommandDefinition("""
            insert into disclosure (id, clinic_id, patient_id, consent_id, description, disclosed_by, disclosed_at)
            values (@Id, @Clinic, @Patient, @Consent, @Description, @Client, @Now)
            """, new { Id = id, Clinic = clinic.ClinicId, Patient = patientId, Consent = consentId, Description = description, Client = clinic.ClientId, Now = now },
            tx, cancellationToken: ct));
        await audit.Change(conn, tx, [patientId], ct);
        await tx.CommitAsync(ct);
        return (ConsentChange.Done, new DisclosureView(id, consentId, consent.RecipientName, consent.Purpose, consent.Scope, description, clinic.ClientId, now), null);
    }

    /// <summary>One page of a patient's consents, oldest first (keyset on granted at, id), and the cursor of the next.</summary>
    public async Task<(IReadOnlyList<ConsentView> Consents, string? NextCursor)> ForPatient(ClinicContext clinic, Guid patientId, PageRequest page,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<ConsentRow>(new CommandDefinition($"""
            select {Columns} from consent
            where clinic_id = @Clinic and patient_id = @Patient and (@AfterId::uuid is null or (granted_at, id) > (@AfterStartsAt, @AfterId))
            order by granted_at, id
            limit @Take
            """, new { Clinic = clinic.ClinicId, Patient = patientId, page.AfterStartsAt, page.AfterId, page.Take }, cancellationToken: ct));
        var (consents, nextCursor) = page.Cut(rows.Select(r => r.ToView(now)).ToList(), c => (c.GrantedAt, c.Id));
        await audit.Read(conn, [patientId], ct);
        return (consents, nextCursor);
    }

    /// <summary>One page of the accounting of disclosures for a patient, oldest first (keyset on disclosed at, id), and the cursor of the next.</summary>
    public async Task<(IReadOnlyList<DisclosureView> Disclosures, string? NextCursor)> Disclosures(ClinicContext clinic, Guid patientId, PageRequest page,
        CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<DisclosureRow>(new CommandDefinition("""
            select d.id, d.consent_id, c.recipient_name, c.purpose, c.scope, d.description, d.disclosed_by, d.disclosed_at
            from disclosure d join consent c on c.id = d.consent_id
            where d.clinic_id = @Clinic and d.patient_id = @Patient
              and (@AfterId::uuid is null or (d.disclosed_at, d.id) > (@AfterStartsAt, @AfterId))
            order by d.disclosed_at, d.id
            limit @Take
            """, new { Clinic = clinic.ClinicId, Patient = patientId, page.AfterStartsAt, page.AfterId, page.Take }, cancellationToken: ct));
        var (disclosures, nextCursor) = page.Cut(
            rows.Select(r => new DisclosureView(r.Id, r.ConsentId, r.RecipientName, r.Purpose, r.Scope, r.Description, r.DisclosedBy, r.DisclosedAt)).ToList(),
            d => (d.DisclosedAt, d.Id));
        await audit.Read(conn, [patientId], ct);
        return (disclosures, nextCursor);
    }

    static Task<ConsentRow?> Lock(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinic, Guid patient, Guid id, CancellationToken ct) =>
        conn.QuerySingleOrDefaultAsync<ConsentRow>(new CommandDefinition($"""
            select {Columns} from consent where clinic_id = @Clinic and patient_id = @Patient and id = @Id for update
            """, new { Clinic = clinic, Patient = patient, Id = id }, tx, cancellationToken: ct));

    static Task<bool> PatientKnown(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinic, Guid patient, CancellationToken ct) =>
        conn.ExecuteScalarAsync<bool>(new CommandDefinition($"select {KnownPatients.Condition}", new { Clinic = clinic, Patient = patient }, tx, cancellationToken: ct));

    sealed record DisclosureRow
    {
        public Guid Id { get; init; }
        public Guid ConsentId { get; init; }
        public string RecipientName { get; init; } = "";
        public string Purpose { get; init; } = "";
        public ConsentScope Scope { get; init; }
        public string Description { get; init; } = "";
        public string DisclosedBy { get; init; } = "";
        public DateTimeOffset DisclosedAt { get; init; }
    }

    sealed record ConsentRow
    {
        public Guid Id { get; init; }
        public Guid PatientId { get; init; }
        public string RecipientName { get; init; } = "";
        public string RecipientContact { get; init; } = "";
        public RecipientKind RecipientKind { get; init; }
        public string Purpose { get; init; } = "";
        public ConsentScope Scope { get; init; }
        public DateTimeOffset ExpiresAt { get; init; }
        public DateTime SignedOn { get; init; }
        public DateTimeOffset GrantedAt { get; init; }
        public DateTimeOffset? RevokedAt { get; init; }
        public string? RevocationReason { get; init; }

        public ConsentStatus StatusAt(DateTimeOffset now) => ConsentRules.StatusAt(ExpiresAt, RevokedAt, now);

        public ConsentView ToView(DateTimeOffset now) => new(Id, PatientId, RecipientName, RecipientContact, RecipientKind, Purpose, Scope, ExpiresAt,
            DateOnly.FromDateTime(SignedOn), GrantedAt, StatusAt(now), RevokedAt, RevocationReason);
    }
}
