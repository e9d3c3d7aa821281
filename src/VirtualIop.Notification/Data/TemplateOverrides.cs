using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Notification.Domain;

namespace VirtualIop.Notification.Data;

/// <summary>The wording a clinic's messages of one kind use, in one language, on one channel; Overridden: the clinic's own.</summary>
public sealed record MessageWording(DeliveryKind Kind, Language Language, Channel Channel, string? Subject, string Body, bool Overridden);

/// <summary>A clinic's own wording; the dispatcher reads it with each claimed delivery, so a change applies to the next send.</summary>
public sealed class TemplateOverrides(NpgsqlDataSource db, TimeProvider clock)
{
    public async Task<MessageWording> Save(ClinicContext clinic, DeliveryKind kind, Language language, Channel channel, TemplateText text, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            insert into template_override (clinic_id, kind, language, channel, subject, body, updated_at)
            values (@Clinic, @Kind, @Language, @Channel, @Subject, @Body, @Now)
            on conflict (clinic_id, kind, language, channel) do update set subject = excluded.subject, body = excluded.body, updated_at = excluded.updated_at
            """, Key(clinic, kind, language, channel, new { text.Subject, text.Body, Now = clock.GetUtcNow() }), cancellationToken: ct));
        return new MessageWording(kind, language, channel, text.Subject, text.Body, true);
    }

    /// <summary>The clinic's wording when it has one, else the built-in one.</summary>
    public async Task<MessageWording> Find(ClinicContext clinic, DeliveryKind kind, Language language, Channel channel, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<(string? Subject, string Body)?>(new CommandDefinition("""
            select subject, body from template_override where clinic_id = @Clinic and kind = @Kind and language = @Language and channel = @Channel
            """, Key(clinic, kind, language, channel), cancellationToken: ct));
        if (row is { } own) return new MessageWording(kind, language, channel, own.Subject, own.Body, true);
        var standard = MessageTemplates.Default(kind, language, channel);
        return new MessageWording(kind, language, channel, standard.Subject, standard.Body, false);
    }

    /// <returns>false when the clinic had no wording of its own there.</returns>
    public async Task<bool> Remove(ClinicContext clinic, DeliveryKind kind, Language language, Channel channel, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition("""
            delete from template_override where clinic_id = @Clinic and kind = @Kind and language = @Language and channel = @Channel
            """, Key(clinic, kind, language, channel), cancellationToken: ct)) > 0;
    }

    /// <summary>A kind as it is stored on deliveries and overrides: its camelCase name.</summary>
    public static string Name(DeliveryKind kind) => WireName.Of(kind);

    static DynamicParameters Key(ClinicContext clinic, DeliveryKind kind, Language language, Channel channel, object? more = null)
    {
        var parameters = new DynamicParameters(more);
        parameters.AddDynamicParams(new
        {
            Clinic = clinic.ClinicId,
            Kind = Name(kind),
            Language = WireName.Of(language),
            Channel = Contacts.Name(channel)
        });
        return parameters;
    }
}
