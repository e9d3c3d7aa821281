using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;
using VirtualIop.Attendance.Data;
using VirtualIop.Attendance.Domain;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;

namespace VirtualIop.Attendance.Apis;

/// <summary>
/// A program's billing settings: minimumMinutesPerDay (required, 1 to 1440: the attended minutes that make a day
/// billable; 180 until set), hcpcsCode (optional, a letter or digit and four digits, e.g. H0015) and revenueCode
/// (optional, four digits, e.g. 0906), copied onto each billable day.
/// </summary>
public sealed record BillingSettingsDto(int? MinimumMinutesPerDay, string? HcpcsCode, string? RevenueCode)
{
    public static BillingSettingsDto From(BillingSettings s) => new(s.MinimumMinutesPerDay, s.HcpcsCode, s.RevenueCode);
}

/// <param name="Minutes">What the session counted toward the day; Corrected: a clinician corrected the record's outcome.</param>
public sealed record BilledSessionDto(Guid SessionId, string? Kind, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Outcome, int Minutes, bool Corrected);

/// <param name="Date">The local date of the sessions' starts, in each session's time zone.</param>
/// <param name="Corrected">A session behind the day had its outcome corrected.</param>
public sealed record BillableDayDto(DateOnly Date, Guid ProgramId, int AttendedMinutes, int MinimumMinutesPerDay, string? HcpcsCode, string? RevenueCode,
    bool Corrected, IReadOnlyList<BilledSessionDto> Sessions)
{
    public static BillableDayDto From(BillableDay d) => new(d.Date, d.ProgramId, d.AttendedMinutes, d.Settings.MinimumMinutesPerDay, d.Settings.HcpcsCode,
        d.Settings.RevenueCode, d.Corrected, d.Sessions.Select(s => new BilledSessionDto(s.SessionId, s.Kind, s.StartsAt, s.EndsAt, s.Outcome.Name(),
            s.Minutes, s.Corrected)).ToList());
}

/// <summary>A patient's billable days in the range, by date then program.</summary>
public sealed record PatientBillableDaysDto(Guid PatientId, IReadOnlyList<BillableDayDto> Days);

public static partial class BillingApi
{
    /// <summary>The longest range of dates one export covers (a quarter).</summary>
    public const int MaxRangeDays = 93;

    public const string CsvContentType = "text/csv";

    const int MaxMinimumMinutes = 24 * 60;

    public static IEndpointRouteBuilder MapBillingApi(this IEndpointRouteBuilder app)
    {
        var settings = app.MapGroup("/api/attendance/programs/{programId:guid}/billing").RequireAuthorization().WithTags("Billing")
            .RequireStaffRole(StaffRoles.Admin, StaffRoles.Coordinator);
        settings.MapGet("/", GetSettings).WithName("GetBillingSettings")
            .WithSummary("The program's billing settings: minimum attended minutes per billable day (180 until set), HCPCS and revenue codes");
        settings.MapPut("/", PutSettings).WithName("SetBillingSettings")
            .WithSummary("Sets the program's minimum attended minutes per billable day and its HCPCS and revenue codes");

        app.MapGroup("/api/attendance/billing").RequireAuthorization().WithTags("Billing")
            .RequireStaffRole(StaffRoles.Admin, StaffRoles.Coordinator)
            .MapGet("/days", GetDays).WithName("GetBillableDays")
            .AuditsPatientData("attendance.billing")
            .WithSummary("Each patient's billable IOP days between two local dates (both included, at most 93 days), with the sessions and minutes "
                         + "behind each day and the program's codes; JSON, or CSV with Accept: text/csv (one row per patient-day); paged by patient (limit, cursor)")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                if (operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse response)
                {
                    response.Content ??= new Dictionary<string, OpenApiMediaType>();
                    response.Content[CsvContentType] = new OpenApiMediaType
                    {
                        Schema = new OpenApiSchema
                        {
                            Type = JsonSchemaType.String,
                            Description = "RFC 4180 CSV with a header row: " + string.Join(",", CsvColumns)
                                          + "; session_ids and session_minutes list the day's sessions in the same order, separated by ';'.",
                        },
                    };
                }
                return Task.CompletedTask;
            });
        return app;
    }

    /// <returns>404 (ProblemDetails) for a program Attendance does not know for the clinic; see <see cref="UnknownResource"/>.</returns>
    static async Task<Results<Ok<BillingSettingsDto>, ProblemHttpResult>> GetSettings(Guid programId, ClinicContext clinic, Billing billing,
        CancellationToken ct) =>
        await billing.Find(clinic.ClinicId, programId, ct) is { } found
            ? TypedResults.Ok(BillingSettingsDto.From(found))
            : UnknownResource.Problem("program", "Attendance");

    /// <returns>404 (ProblemDetails), with nothing written, for a program Attendance does not know for the clinic; see <see cref="UnknownResource"/>.</returns>
    static async Task<Results<Ok<BillingSettingsDto>, ValidationProblem, ProblemHttpResult>> PutSettings(Guid programId, BillingSettingsDto request,
        ClinicContext clinic, Billing billing, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors()
            .Require(request.MinimumMinutesPerDay is >= 1 and <= MaxMinimumMinutes, "minimumMinutesPerDay",
                $"The minimum attended minutes per day are 1 to {MaxMinimumMinutes}.")
            .Require(request.HcpcsCode is null || HcpcsCode().IsMatch(request.HcpcsCode), "hcpcsCode",
                "An HCPCS code is a capital letter or a digit followed by four digits, e.g. H0015.")
            .Require(request.RevenueCode is null || RevenueCode().IsMatch(request.RevenueCode), "revenueCode",
                "A revenue code is four digits, e.g. 0906.");
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());
        var settings = new BillingSettings(request.MinimumMinutesPerDay!.Value, request.HcpcsCode, request.RevenueCode);
        return await billing.Save(clinic.ClinicId, programId, settings, clock.GetUtcNow(), ct) is { } saved
            ? TypedResults.Ok(BillingSettingsDto.From(saved))
            : UnknownResource.Problem("program", "Attendance");
    }

    static async Task<Results<Ok<IReadOnlyList<PatientBillableDaysDto>>, ContentHttpResult, ValidationProblem>> GetDays(DateOnly? from, DateOnly? to,
        int? limit, string? cursor, ClinicContext clinic, Billing billing, HttpContext http, CancellationToken ct)
    {
        var errors = new ValidationErrors()
            .Require(from is not null, "from", "The first date of the range (yyyy-mm-dd) is required.")
            .Require(to is not null, "to", "The last date of the range (yyyy-mm-dd) is required.")
            .RequireWithin("from", from)
            .RequireWithin("to", to)
            .Require(from is null || to is null || from <= to, "to", "The last date must not come before the first.")
            .Require(from is null || to is null || to < from || to.Value.DayNumber - from.Value.DayNumber < MaxRangeDays, "to",
                $"A range spans at most {MaxRangeDays} days.");
        PageRequest.TryCreate(limit, cursor, errors, out var page);
        if (errors.Any || page is null) return TypedResults.ValidationProblem(errors.ToDictionary());

        var (patients, nextCursor) = await billing.Days(clinic.ClinicId, from!.Value, to!.Value, page, ct);
        KeysetPages.Announce(http, nextCursor);
        if (WantsCsv(http.Request)) return TypedResults.Text(Csv(patients), $"{CsvContentType}; charset=utf-8", Encoding.UTF8);
        return TypedResults.Ok<IReadOnlyList<PatientBillableDaysDto>>(patients
            .Select(p => new PatientBillableDaysDto(p.PatientId, p.Days.Select(BillableDayDto.From).ToList())).ToList());
    }

    static bool WantsCsv(HttpRequest request) =>
        MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted)
        && accepted.Any(a => a.MediaType.Equals(CsvContentType, StringComparison.OrdinalIgnoreCase) && a.Quality is not 0);

    static readonly string[] CsvColumns =
    [
        "patient_id", "date", "program_id", "hcpcs_code", "revenue_code", "attended_minutes", "minimum_minutes_per_day", "corrected", "session_ids",
        "session_minutes"
    ];

    /// <summary>One row per patient-day after a header row, CRLF line ends and quoting as RFC 4180 sets them; ids, never names.</summary>
    public static string Csv(IEnumerable<PatientBillableDays> patients)
    {
        var csv = new StringBuilder();
        Row(csv, CsvColumns);
        foreach (var patient in patients)
        {
            foreach (var day in patient.Days)
            {
                Row(csv,
                [
                    patient.PatientId.ToString(), day.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), day.ProgramId.ToString(),
                    day.Settings.HcpcsCode ?? "", day.Settings.RevenueCode ?? "", day.AttendedMinutes.ToString(CultureInfo.InvariantCulture),
                    day.Settings.MinimumMinutesPerDay.ToString(CultureInfo.InvariantCulture), day.Corrected ? "true" : "false",
                    string.Join(';', day.Sessions.Select(s => s.SessionId)),
                    string.Join(';', day.Sessions.Select(s => s.Minutes.ToString(CultureInfo.InvariantCulture)))
                ]);
            }
        }
        return csv.ToString();
    }

    static void Row(StringBuilder csv, IReadOnlyList<string> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0) csv.Append(',');
            csv.Append(Field(fields[i]));
        }
        csv.Append("\r\n");
    }

    static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    [GeneratedRegex("^[A-Z0-9][0-9]{4}$")]
    private static partial Regex HcpcsCode();

    [GeneratedRegex("^[0-9]{4}$")]
    private static partial Regex RevenueCode();
}
