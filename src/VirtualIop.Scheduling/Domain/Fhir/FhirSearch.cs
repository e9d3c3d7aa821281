using System.Globalization;
using System.Text;
using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;

namespace VirtualIop.Scheduling.Domain.Fhir;

/// <summary>Where the next page of a search starts: after this (start, session, patient), the order results come in.</summary>
public sealed record FhirCursor(DateTimeOffset StartsAt, Guid SessionId, Guid PatientId)
{
    /// <summary>Opaque to clients: base64url of the start's ticks and both ids.</summary>
    public string Encode() =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes($"{StartsAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}:{SessionId:N}:{PatientId:N}"))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static FhirCursor? Decode(string cursor)
    {
        try
        {
            var padded = cursor.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            var parts = Encoding.ASCII.GetString(Convert.FromBase64String(padded)).Split(':');
            return parts.Length == 3
                   && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                   && ticks <= DateTimeOffset.MaxValue.UtcTicks
                   && Guid.TryParseExact(parts[1], "N", out var session)
                   && Guid.TryParseExact(parts[2], "N", out var patient)
                ? new FhirCursor(new DateTimeOffset(ticks, TimeSpan.Zero), session, patient)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>
/// A search over patients' places in sessions: by patient, by start (<see cref="From"/> inclusive, <see cref="Before"/>
/// exclusive), by state (null: any), one page of <see cref="Count"/> after <see cref="After"/>.
/// </summary>
public sealed record FhirSearchQuery(Guid? PatientId, DateTimeOffset? From, DateTimeOffset? Before, IReadOnlyList<AppointmentState>? States, int Count,
    FhirCursor? After);

/// <summary>What is wrong with one search parameter.</summary>
public sealed record FhirSearchError(string Parameter, string Message);

/// <summary>
/// Reads the FHIR search parameters this service supports. Strict, as a client sending <c>Prefer: handling=strict</c>
/// would ask: a parameter it does not know or a value it cannot read is refused (400 with an OperationOutcome naming
/// the parameter) rather than ignored, since ignoring a filter on patient data would return more than was asked for.
/// </summary>
public static class FhirSearch
{
    public const int DefaultCount = 50;
    public const int MaxCount = 100;
    public const string CursorParameter = "_cursor";

    /// <summary>The parameters each resource type's search takes.</summary>
    public static IReadOnlyList<string> ParametersOf(string resourceType) => resourceType == "Appointment"
        ? ["patient", "date", "status", "_count", CursorParameter]
        : ["patient", "date", "_count", CursorParameter];

    public static (FhirSearchQuery? Query, IReadOnlyList<FhirSearchError> Errors) Parse(string resourceType,
        IReadOnlyList<(string Name, string Value)> parameters)
    {
        var errors = new List<FhirSearchError>();
        var allowed = ParametersOf(resourceType);
        foreach (var unknown in parameters.Select(p => p.Name).Distinct().Where(n => !allowed.Contains(n) && n != "_format"))
            errors.Add(new(unknown, $"'{Shorten(unknown)}' is not a search parameter of {resourceType}; supported: {string.Join(", ", allowed)}."));
        foreach (var repeated in parameters.GroupBy(p => p.Name).Where(g => g.Key != "date" && g.Count() > 1))
            errors.Add(new(repeated.Key, $"'{Shorten(repeated.Key)}' may be given once; list several values with commas where it takes several."));

        string? Single(string name) => parameters.FirstOrDefault(p => p.Name == name).Value;

        if (Single("_format") is { } format && format is not ("json" or "application/json" or "application/fhir+json"))
            errors.Add(new("_format", "Only JSON is served: application/fhir+json."));

        Guid? patient = null;
        if (Single("patient") is { } reference)
        {
            var id = reference.StartsWith("Patient/", StringComparison.Ordinal) ? reference["Patient/".Length..] : reference;
            if (Guid.TryParse(id, out var parsed)) patient = parsed;
            else errors.Add(new("patient", "A patient reference is Patient/{id} or {id}, where the id is a UUID."));
        }

        DateTimeOffset? from = null, before = null;
        foreach (var (_, value) in parameters.Where(p => p.Name == "date"))
        {
            if (!TryParseDate(value, out var range, out var problem))
            {
                errors.Add(new("date", problem));
                continue;
            }
            (from, before) = Narrow(from, before, range);
        }

        IReadOnlyList<AppointmentState>? states = null;
        if (allowed.Contains("status") && Single("status") is { } status)
        {
            var wanted = new List<AppointmentState>();
            foreach (var code in status.Split(','))
            {
                if (EnumUtility.ParseLiteral<Appointment.AppointmentStatus>(code) is { } known) wanted.AddRange(FhirViews.StatesOf(known));
                else errors.Add(new("status", $"'{Shorten(code)}' is not an Appointment status (proposed, pending, booked, arrived, fulfilled, cancelled, noshow, entered-in-error, checked-in, waitlist)."));
            }
            states = wanted.Distinct().ToList();
        }

        var count = DefaultCount;
        if (Single("_count") is { } countText)
        {
            if (int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c is >= 1 and <= MaxCount) count = c;
            else errors.Add(new("_count", $"_count is a whole number from 1 to {MaxCount}."));
        }

        FhirCursor? after = null;
        if (Single(CursorParameter) is { } cursor)
        {
            after = FhirCursor.Decode(cursor);
            if (after is null) errors.Add(new(CursorParameter, "Not a cursor this search handed out; start again without one."));
        }

        return errors.Count > 0 ? (null, errors) : (new FhirSearchQuery(patient, from, before, states, count, after), errors);
    }

    /// <summary>
    /// A FHIR date search value, [prefix]value, as the range of start instants it matches: eq (the default) the value's
    /// whole precision (a year, month, day or second), ge/gt/le/lt from or up to it. A date without a time is read in UTC.
    /// </summary>
    public static bool TryParseDate(string text, out (DateTimeOffset? From, DateTimeOffset? Before) range, out string problem)
    {
        range = default;
        problem = "";
        var prefix = text.Length > 2 && char.IsAsciiLetterLower(text[0]) && char.IsAsciiLetterLower(text[1]) ? text[..2] : "eq";
        var value = prefix == "eq" && !text.StartsWith("eq", StringComparison.Ordinal) ? text : text[2..];
        if (prefix is not ("eq" or "ge" or "gt" or "le" or "lt"))
        {
            problem = $"The date prefix '{Shorten(prefix)}' is not supported; use eq, ge, gt, le or lt.";
            return false;
        }
        if (!TryParseValue(value, out var lower, out var upper))
        {
            problem = "A date is YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss[.fff]] with Z or an offset, after an optional prefix (ge2026-01-05).";
            return false;
        }
        if (lower.Year is < 2000 or > 2100)
        {
            problem = "Dates lie between the years 2000 and 2100.";
            return false;
        }
        range = prefix switch
        {
            "ge" => (lower, null),
            "gt" => (upper, null),
            "le" => (null, upper),
            "lt" => (null, lower),
            _ => (lower, upper)
        };
        return true;
    }

    static readonly string[] InstantFormats =
    [
        "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"
    ];

    /// <summary>The instants a value covers: [lower, upper).</summary>
    static bool TryParseValue(string value, out DateTimeOffset lower, out DateTimeOffset upper)
    {
        lower = upper = default;
        var utc = DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal;
        if (value.Length == 4 && DateTime.TryParseExact(value, "yyyy", CultureInfo.InvariantCulture, utc, out var year))
            (lower, upper) = (Utc(year), Utc(year).AddYears(1));
        else if (value.Length == 7 && DateTime.TryParseExact(value, "yyyy-MM", CultureInfo.InvariantCulture, utc, out var month))
            (lower, upper) = (Utc(month), Utc(month).AddMonths(1));
        else if (value.Length == 10 && DateTime.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, utc, out var day))
            (lower, upper) = (Utc(day), Utc(day).AddDays(1));
        else if (value.Length > 10 && (value.EndsWith('Z') || value[^6] is '+' or '-')
                 && DateTimeOffset.TryParseExact(value, InstantFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
        {
            var step = value.Contains('.', StringComparison.Ordinal) ? TimeSpan.FromMicroseconds(1)
                : value.Length - (value.EndsWith('Z') ? 1 : 6) > 16 ? TimeSpan.FromSeconds(1) : TimeSpan.FromMinutes(1);
            (lower, upper) = (instant.ToUniversalTime(), instant.ToUniversalTime() + step);
        }
        else return false;
        return true;
    }

    static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    static (DateTimeOffset? From, DateTimeOffset? Before) Narrow(DateTimeOffset? from, DateTimeOffset? before, (DateTimeOffset? From, DateTimeOffset? Before) range) =>
        (range.From is { } f && (from is null || f > from) ? f : from, range.Before is { } b && (before is null || b < before) ? b : before);

    static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
