using System.Security.Cryptography;
using System.Text;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace VirtualIop.Scheduling.Domain;

/// <summary>What a calendar feed shows of a session: its kind, times, zone, status and change count, nothing clinical.</summary>
public sealed record FeedSession(Guid Id, SessionKind Kind, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string TimeZone, string Status, int Sequence);

/// <summary>Feed tokens: 256 random bits, base64url; only their SHA-256 hash is stored.</summary>
public static class FeedTokens
{
    public static string New() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>A token as <see cref="New"/> makes it: 43 base64url characters.</summary>
    public static bool LooksValid(string token) => token.Length == 43 && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>
/// Writes an RFC 5545 calendar that Google Calendar, Outlook and Apple Calendar can subscribe to: one VTIMEZONE per zone
/// used, one VEVENT per session with a UID that never changes ({sessionId}@virtualiop), local times with their TZID, the
/// session's SEQUENCE (bumped on every move or cancellation, so clients replace their copy) and STATUS:CANCELLED for a
/// cancelled session. The summary names only the kind of session; the join link is the only other detail.
/// </summary>
public static class CalendarFeedWriter
{
    public const string ContentType = "text/calendar";

    public static string Write(IReadOnlyList<FeedSession> sessions, DateTimeOffset stamp, Func<Guid, Uri?> joinLink)
    {
        var calendar = new Calendar { ProductId = "-//VirtualIop//Scheduling//EN", Method = "PUBLISH" };
        calendar.AddProperty("X-WR-CALNAME", "VirtualIop sessions");
        // Each VTIMEZONE states the zone's current rules (RRULEs), which cover the sessions ahead. Ical.Net reads the zone's
        // transitions from a year before `earliest` up to the host's clock, so `earliest` must not lie after the stamp.
        var earliest = sessions.Select(s => s.StartsAt).Append(stamp).Min().UtcDateTime.AddDays(-1);
        foreach (var zone in sessions.Select(s => s.TimeZone).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            calendar.AddTimeZone(VTimeZone.FromDateTimeZone(zone, earliest, includeHistoricalData: false));

        foreach (var session in sessions)
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(session.TimeZone);
            var link = joinLink(session.Id);
            var calendarEvent = new CalendarEvent
            {
                Uid = $"{session.Id}@virtualiop",
                DtStamp = new CalDateTime(stamp.UtcDateTime, "UTC"),
                DtStart = new CalDateTime(TimeZoneInfo.ConvertTime(session.StartsAt, zone).DateTime, session.TimeZone),
                DtEnd = new CalDateTime(TimeZoneInfo.ConvertTime(session.EndsAt, zone).DateTime, session.TimeZone),
                Sequence = session.Sequence,
                Status = session.Status == "cancelled" ? EventStatus.Cancelled : EventStatus.Confirmed,
                Summary = Summary(session.Kind),
                Transparency = TransparencyType.Opaque
            };
            if (link is not null)
            {
                calendarEvent.Url = link;
                calendarEvent.Description = $"Join: {link}";
            }
            calendar.Events.Add(calendarEvent);
        }
        return new CalendarSerializer().SerializeToString(calendar)!;
    }

    public static string Summary(SessionKind kind) => kind switch
    {
        SessionKind.GroupTherapy => "Group session",
        SessionKind.IndividualTherapy => "One-on-one session",
        SessionKind.EducationalModule => "Learning session",
        SessionKind.FamilySession => "Family session",
        _ => "Catch-up session"
    };
}
