using System.Diagnostics;
using Dapper;
using Microsoft.AspNetCore.Http;
using Npgsql;
using VirtualIop.BuildingBlocks.Auth;

namespace VirtualIop.BuildingBlocks.Audit;

/// <summary>
/// Writes the audit log beside the SQL that reads or changes patient data: one row per patient, all in one statement,
/// in the caller's connection (and, for a change, in its transaction, so a change and its audit row commit together).
/// Who acted (clinic and client id) comes from the validated token of the current request, what was touched from the
/// endpoint's <see cref="AuditedPatientData"/>, and where from the current trace. A consumer, a worker or a signed
/// webhook acts for no client, so for them nothing is written; an authenticated endpoint that touches patient data
/// without the metadata fails loudly rather than leave no trace.
/// </summary>
public sealed class PatientAudit(IHttpContextAccessor requests, TimeProvider clock)
{
    /// <summary>The client id recorded for a read through a secret link (a calendar feed), which carries no token.</summary>
    public const string SecretLinkClient = "secret-link";

    /// <summary>Records that the current request showed these patients' data.</summary>
    public Task Read(NpgsqlConnection conn, IEnumerable<Guid> patientIds, CancellationToken ct) =>
        Write(conn, null, "read", patientIds, null, ct);

    /// <inheritdoc cref="Read(NpgsqlConnection, IEnumerable{Guid}, CancellationToken)"/>
    public Task Read(NpgsqlConnection conn, NpgsqlTransaction? tx, IEnumerable<Guid> patientIds, CancellationToken ct) =>
        Write(conn, tx, "read", patientIds, null, ct);

    /// <summary>Records that an anonymous request holding a secret link of <paramref name="clinicId"/> showed these patients' data.</summary>
    public Task ReadBySecretLink(NpgsqlConnection conn, Guid clinicId, IEnumerable<Guid> patientIds, CancellationToken ct) =>
        Write(conn, null, "read", patientIds, new ClinicContext(clinicId, SecretLinkClient), ct);

    /// <summary>Records, in the change's own transaction, that the current request changed these patients' data.</summary>
    public Task Change(NpgsqlConnection conn, NpgsqlTransaction tx, IEnumerable<Guid> patientIds, CancellationToken ct) =>
        Write(conn, tx, "change", patientIds, null, ct);

    /// <summary>
    /// Records, in the change's own transaction, a change made in <paramref name="actor"/>'s clinic by a caller whose token
    /// is not that clinic's own: the portal redeeming a patient's personal link, which names the clinic itself.
    /// </summary>
    public Task ChangeFor(ClinicContext actor, NpgsqlConnection conn, NpgsqlTransaction tx, IEnumerable<Guid> patientIds, CancellationToken ct) =>
        Write(conn, tx, "change", patientIds, actor, ct);

    async Task Write(NpgsqlConnection conn, NpgsqlTransaction? tx, string action, IEnumerable<Guid> patientIds, ClinicContext? actor,
        CancellationToken ct)
    {
        if (requests.HttpContext is not { } request) return;
        // A signed webhook acts for no client; the service's own record of each webhook event stands for it.
        if ((actor ?? ClinicContext.FromPrincipal(request.User)) is not { } who) return;
        var endpoint = request.GetEndpoint();
        var resource = endpoint?.Metadata.GetMetadata<AuditedPatientData>()?.Resource
            ?? throw new InvalidOperationException($"{endpoint?.DisplayName ?? request.Request.Path} touches patient data without .AuditsPatientData(…).");
        var patients = patientIds.Distinct().ToArray();
        if (patients.Length == 0) return;
        await conn.ExecuteAsync(new CommandDefinition("""
            insert into audit_log (clinic_id, client_id, action, resource, patient_id, occurred_at, trace_id)
            select @Clinic, @Client, @Action, @Resource, p, @Now, @Trace from unnest(@Patients) as p
            """,
            new
            {
                Clinic = who.ClinicId, Client = who.ClientId, Action = action, Resource = resource,
                Patients = patients, Now = clock.GetUtcNow(), Trace = Activity.Current?.TraceId.ToHexString()
            },
            tx, cancellationToken: ct));
    }
}
