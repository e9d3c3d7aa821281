using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Auth;

namespace VirtualIop.Engagement.Data;

/// <summary>
/// Records who read which patient's data, and when, in the same connection as the read: one row per patient the
/// answer showed. The client id comes from the validated token.
/// </summary>
public sealed class PatientReadAudit(TimeProvider clock)
{
    public Task Record(NpgsqlConnection conn, ClinicContext clinic, IEnumerable<Guid> patientIds, string resource, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition("""
            insert into patient_data_read (clinic_id, patient_id, client_id, resource, read_at)
            select @Clinic, p, @Client, @Resource, @Now from unnest(@Patients) as p
            """,
            new { Clinic = clinic.ClinicId, Client = clinic.ClientId, Resource = resource, Patients = patientIds.Distinct().ToArray(), Now = clock.GetUtcNow() },
            cancellationToken: ct));
}
