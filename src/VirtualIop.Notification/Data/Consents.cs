using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Notification.Messaging;

namespace VirtualIop.Notification.Data;

/// <summary>A family or support contact registered for a patient, under the consent that names them.</summary>
public sealed record SupportContact
{
    public Guid Id { get; init; }
    public Guid PatientId { get; init; }
    public Guid ConsentId { get; init; }
    public string RecipientKind { get; init; } = "";
    public string Email { get; init; } = "";
    public string Language { get; init; } = "en";
}

/// <summary>One disclosure to a support contact, for the patient's accounting of disclosures (42 CFR Part 2 §2.25).</summary>
public sealed record Disclosure
{
    public Guid Id { get; init; }
    public Guid SupportContactId { get; init; }
    public Guid ConsentId { get; init; }
    public Guid DeliveryId { get; init; }
    public string Purpose { get; init; } = "";
    public string Kind { get; init; } = "";
    public string Channel { get; init; } = "";
    public DateTimeOffset DisclosedAt { get; init; }
}

/// <summary>Notification's copy of Engagement's consents, its support contacts, and the disclosures made to them.</summary>
public sealed class Consents(NpgsqlDataSource db, Inbox inbox, PatientAudit audit)
{
    public Task<bool> RecordGrant(ConsentGranted granted, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(granted, inboxKey, (conn, tx) => conn.ExecuteAsync(new CommandDefinition("""
            insert into consent (clinic_id, consent_id, patient_id, purpose, recipient_kind, expires_at, granted_at)
            values (@ClinicId, @ConsentId, @PatientId, @Purpose, @RecipientKind, @ExpiresAt, @GrantedAt)
            on conflict (clinic_id, consent_id) do update
            set purpose = excluded.purpose, recipient_kind = excluded.recipient_kind, expires_at = excluded.expires_at, granted_at = excluded.granted_at
            """, new { granted.ClinicId, granted.ConsentId, granted.PatientId, granted.Purpose, granted.RecipientKind, granted.ExpiresAt, granted.GrantedAt },
            tx, cancellationToken: ct)), ct);

    /// <summary>A revocation is kept even when it arrives before its grant, so the late grant never revives it.</summary>
    public Task<bool> RecordRevocation(ConsentRevoked revoked, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(revoked, inboxKey, (conn, tx) => conn.ExecuteAsync(new CommandDefinition("""
            insert into consent (clinic_id, consent_id, patient_id, revoked_at) values (@ClinicId, @ConsentId, @PatientId, @RevokedAt)
            on conflict (clinic_id, consent_id) do update set revoked_at = coalesce(consent.revoked_at, excluded.revoked_at)
            """, new { revoked.ClinicId, revoked.ConsentId, revoked.PatientId, revoked.RevokedAt }, tx, cancellationToken: ct)), ct);

    /// <summary>
    /// Registers or updates a support contact under a consent granted for this patient of this clinic, as Engagement
    /// announced it. Like a program, a consent granted moments ago may not be known here yet: the caller retries.
    /// </summary>
    /// <returns>null, and nothing written, when the contact id is another patient's, or the consent is not known here as
    /// this clinic's consent for this patient.</returns>
    public async Task<SupportContact?> SaveContact(ClinicContext clinic, SupportContact contact, DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var saved = await conn.QuerySingleOrDefaultAsync<SupportContact>(new CommandDefinition("""
            insert into support_contact (clinic_id, id, patient_id, consent_id, recipient_kind, email, language, updated_at)
            select @Clinic, @Id, @PatientId, @ConsentId, @RecipientKind, @Email, @Language, @Now
            where exists (select 1 from consent c where c.clinic_id = @Clinic and c.consent_id = @ConsentId and c.patient_id = @PatientId)
            on conflict (clinic_id, id) do update
            set consent_id = excluded.consent_id, recipient_kind = excluded.recipient_kind, email = excluded.email, language = excluded.language,
                updated_at = excluded.updated_at
            where support_contact.patient_id = excluded.patient_id
            returning id, patient_id, consent_id, recipient_kind, email, language
            """, new { Clinic = clinic.ClinicId, contact.Id, contact.PatientId, contact.ConsentId, contact.RecipientKind, contact.Email, contact.Language, Now = now },
            tx, cancellationToken: ct));
        if (saved is null) return null;
        await audit.Change(conn, tx, [saved.PatientId], ct);
        await tx.CommitAsync(ct);
        return saved;
    }

    /// <summary>A page of a patient's support contacts by id (they have no time of their own to page by, so the cursor's is a constant).</summary>
    public async Task<(IReadOnlyList<SupportContact> Rows, string? NextCursor)> ContactsOf(ClinicContext clinic, Guid patientId, PageRequest page,
        CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = (await conn.QueryAsync<SupportContact>(new CommandDefinition("""
            select id, patient_id, consent_id, recipient_kind, email, language from support_contact
            where clinic_id = @Clinic and patient_id = @PatientId and (@AfterId::uuid is null or id > @AfterId)
            order by id
            limit @Take
            """, new { Clinic = clinic.ClinicId, PatientId = patientId, page.AfterId, page.Take }, cancellationToken: ct))).AsList();
        await audit.Read(conn, [patientId], ct);
        return page.Cut(rows, c => (InputBounds.Earliest, c.Id));
    }

    /// <summary>A page of a patient's disclosures, oldest first, by (time, id).</summary>
    public async Task<(IReadOnlyList<Disclosure> Rows, string? NextCursor)> DisclosuresOf(ClinicContext clinic, Guid patientId, PageRequest page,
        CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = (await conn.QueryAsync<Disclosure>(new CommandDefinition("""
            select id, support_contact_id, consent_id, delivery_id, purpose, kind, channel, disclosed_at from disclosure
            where clinic_id = @Clinic and patient_id = @PatientId
              and (@AfterStartsAt::timestamptz is null or (disclosed_at, id) > (@AfterStartsAt, @AfterId))
            order by disclosed_at, id
            limit @Take
            """, new { Clinic = clinic.ClinicId, PatientId = patientId, page.AfterStartsAt, page.AfterId, page.Take }, cancellationToken: ct))).AsList();
        await audit.Read(conn, [patientId], ct);
        return page.Cut(rows, d => (d.DisclosedAt, d.Id));
    }
}
