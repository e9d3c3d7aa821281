using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Notification.Domain;

namespace VirtualIop.Notification.Data;

/// <summary>What the clinic registers for a patient; validated by the API before it gets here.</summary>
public sealed record ContactPreferences(
    string? Email, string? Phone, string? PushAddress, IReadOnlyList<Channel> Channels, Language Language, string? TimeZone, QuietHours? QuietHours);

public sealed record QuietHoursView(string Start, string End);

/// <summary>A patient's contact preferences as the API shows them.</summary>
public sealed record Contact(
    Guid PatientId, string? Email, string? Phone, string? PushAddress, IReadOnlyList<Channel> Channels, Language Language,
    string? TimeZone, QuietHoursView? QuietHours, IReadOnlyList<Channel> OptedOut);

/// <summary>Who an inbound text came from: the patients on file with that number, and the language to answer in.</summary>
public sealed record TextingPatient(Guid PatientId, Language Language);

public sealed class Contacts(NpgsqlDataSource db, TimeProvider clock, PatientAudit audit)
{
    const string Columns = """
        patient_id, email, phone, push_address, channels, language, time_zone, quiet_start_minute, quiet_end_minute,
        email_opted_out_at, sms_opted_out_at, push_opted_out_at
        """;

    /// <summary>Sets addresses, channel order, language, time zone and quiet hours; opt-outs stay as they were.</summary>
    public async Task<Contact> Save(ClinicContext clinic, Guid patientId, ContactPreferences preferences, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var row = await conn.QuerySingleAsync<ContactRow>(new CommandDefinition($"""
            insert into contact (clinic_id, patient_id, email, phone, push_address, channels, language, time_zone,
                                 quiet_start_minute, quiet_end_minute, updated_at)
            values (@Clinic, @PatientId, @Email, @Phone, @PushAddress, @Channels, @Language, @TimeZone, @QuietStart, @QuietEnd, @Now)
            on conflict (clinic_id, patient_id) do update
            set email = excluded.email, phone = excluded.phone, push_address = excluded.push_address, channels = excluded.channels,
                language = excluded.language, time_zone = excluded.time_zone, quiet_start_minute = excluded.quiet_start_minute,
                quiet_end_minute = excluded.quiet_end_minute, updated_at = excluded.updated_at
            returning {Columns}
            """, new
        {
            Clinic = clinic.ClinicId,
            PatientId = patientId,
            preferences.Email,
            preferences.Phone,
            preferences.PushAddress,
            Channels = preferences.Channels.Select(Name).ToArray(),
            Language = Name(preferences.Language),
            preferences.TimeZone,
            QuietStart = (short?)MinuteOfDay(preferences.QuietHours?.Start),
            QuietEnd = (short?)MinuteOfDay(preferences.QuietHours?.End),
            Now = clock.GetUtcNow()
        }, tx, cancellationToken: ct));
        await audit.Change(conn, tx, [patientId], ct);
        await tx.CommitAsync(ct);
        return row.ToContact();
    }

    public async Task<Contact?> Find(ClinicContext clinic, Guid patientId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<ContactRow>(new CommandDefinition($"""
            select {Columns} from contact where clinic_id = @Clinic and patient_id = @PatientId
            """, new { Clinic = clinic.ClinicId, PatientId = patientId }, cancellationToken: ct));
        if (row is not null) await audit.Read(conn, [patientId], ct);
        return row?.ToContact();
    }

    /// <summary>Opts a patient out of a channel, or back in, and records who did it; null when the patient has no contact on file.</summary>
    public async Task<Contact?> SetOptOut(ClinicContext clinic, Guid patientId, Channel channel, bool optedOut, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var column = OptOutColumn(channel);
        var row = await conn.QuerySingleOrDefaultAsync<ContactRow>(new CommandDefinition($"""
            update contact
            set {column} = case when @OptedOut then coalesce({column}, @Now) end, updated_at = @Now
            where clinic_id = @Clinic and patient_id = @PatientId
            returning {Columns}
            """, new { Clinic = clinic.ClinicId, PatientId = patientId, OptedOut = optedOut, Now = clock.GetUtcNow() }, tx, cancellationToken: ct));
        if (row is null) return null;
        await RecordChange(conn, tx, clinic.ClinicId, [patientId], channel, optedOut, "api", ct);
await audit.Change(conn, tx, [patientId], ct);
        await tx.CommitAsync(ct);
        return row.ToContact();
    }

    /// <summary>
    /// A STOP or START texted from <paramref name="phone"/>: every patient of the clinic on file with that number is
    /// opted out of SMS, or back in. Empty when nobody has that number; null when the provider's message
    /// <paramref name="providerMessageId"/> was taken before (a replay), and nothing changed.
    /// </summary>
    public async Task<IReadOnlyList<TextingPatient>?> SetSmsOptOutByPhone(Guid clinicId, string providerMessageId, string phone, bool optedOut,
        CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (!await InboundTexts.Claim(conn, tx, clinicId, providerMessageId, clock.GetUtcNow(), ct)) return null;
        var patients = (await conn.QueryAsync<(Guid PatientId, string Language)>(new CommandDefinition("""
            update contact
            set sms_opted_out_at = case when @OptedOut then coalesce(sms_opted_out_at, @Now) end, updated_at = @Now
            where clinic_id = @Clinic and phone = @Phone
            returning patient_id, language
            """, new { Clinic = clinicId, Phone = phone, OptedOut = optedOut, Now = clock.GetUtcNow() }, tx, cancellationToken: ct))).AsList();
        if (patients.Count > 0)
            await RecordChange(conn, tx, clinicId, patients.Select(p => p.PatientId).ToArray(), Channel.Sms, optedOut, "sms", ct);
        await tx.CommitAsync(ct);
        return patients.Select(p => new TextingPatient(p.PatientId, ParseLanguage(p.Language))).ToList();
    }

    public async Task<IReadOnlyList<TextingPatient>> FindByPhone(Guid clinicId, string phone, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var patients = await conn.QueryAsync<(Guid PatientId, string Language)>(new CommandDefinition("""
            select patient_id, language from contact where clinic_id = @Clinic and phone = @Phone
            """, new { Clinic = clinicId, Phone = phone }, cancellationToken: ct));
        return patients.Select(p => new TextingPatient(p.PatientId, ParseLanguage(p.Language))).ToList();
    }

    Task RecordChange(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid[] patientIds, Channel channel, bool optedOut,
        string source, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition("""
            insert into opt_out_change (clinic_id, patient_id, channel, opted_out, source, changed_at)
            select @Clinic, p, @Channel, @OptedOut, @Source, @Now from unnest(@PatientIds) as p
            """, new { Clinic = clinicId, PatientIds = patientIds, Channel = Name(channel), OptedOut = optedOut, Source = source, Now = clock.GetUtcNow() },
            tx, cancellationToken: ct));

    static string OptOutColumn(Channel channel) => channel switch
    {
        Channel.Email => "email_opted_out_at",
        Channel.Sms => "sms_opted_out_at",
        Channel.Push => "push_opted_out_at",
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, null)
    };

    public static string Name(Channel channel) => WireName.Of(channel);

    static string Name(Language language) => WireName.Of(language);

    static Language ParseLanguage(string language) => Enum.Parse<Language>(language, ignoreCase: true);

    static int? MinuteOfDay(TimeOnly? time) => time is { } t ? t.Hour * 60 + t.Minute : null;

    sealed record ContactRow
    {
        public Guid PatientId { get; init; }
        public string? Email { get; init; }
        public string? Phone { get; init; }
        public string? PushAddress { get; init; }
        public string[] Channels { get; init; } = [];
        public string Language { get; init; } = "en";
        public string? TimeZone { get; init; }
        public short? QuietStartMinute { get; init; }
        public short? QuietEndMinute { get; init; }
        public DateTimeOffset? EmailOptedOutAt { get; init; }
        public DateTimeOffset? SmsOptedOutAt { get; init; }
        public DateTimeOffset? PushOptedOutAt { get; init; }

        public Contact ToContact()
        {
            var optedOut = new List<Channel>();
            if (EmailOptedOutAt is not null) optedOut.Add(Channel.Email);
            if (SmsOptedOutAt is not null) optedOut.Add(Channel.Sms);
            if (PushOptedOutAt is not null) optedOut.Add(Channel.Push);
            var quiet = QuietStartMinute is { } start && QuietEndMinute is { } end ? new QuietHoursView(Clock(start), Clock(end)) : null;
            return new Contact(PatientId, Email, Phone, PushAddress, Channels.Select(c => Enum.Parse<Channel>(c, ignoreCase: true)).ToList(),
                ParseLanguage(Language), TimeZone, quiet, optedOut);
        }

        static string Clock(int minuteOfDay) => $"{minuteOfDay / 60:00}:{minuteOfDay % 60:00}";
    }
}
