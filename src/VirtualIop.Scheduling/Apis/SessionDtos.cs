using System.Text.Json.Serialization;
using VirtualIop.Scheduling.Domain;

namespace VirtualIop.Scheduling.Apis;

/// <summary>
/// Every field is optional on the wire so that a missing one is reported by name (400) instead of
/// silently taking a default. <c>startsAt</c> must carry its offset ("Z" or "+02:00").
/// </summary>
public sealed record ScheduleSessionRequest(
    SessionKind? Kind,
    [property: JsonConverter(typeof(InstantWithOffsetConverter))] DateTimeOffset? StartsAt,
    int? DurationMinutes,
    string? TimeZone,
    IReadOnlyList<Guid>? PatientIds);

public sealed record SessionDto(
    Guid Id,
    SessionKind Kind,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string TimeZone,
    IReadOnlyList<Guid> PatientIds,
    DateTimeOffset CreatedAt)
{
    public static SessionDto From(Session s) => new(s.Id, s.Kind, s.StartsAt, s.EndsAt, s.TimeZone, s.PatientIds, s.CreatedAt);
}

/// <summary>A move of one session: a new start (with its offset), optionally a new length, and a reason category.</summary>
public sealed record RescheduleSessionRequest(
    [property: JsonConverter(typeof(InstantWithOffsetConverter))] DateTimeOffset? StartsAt,
    int? DurationMinutes,
    ChangeReason? Reason);

public sealed record CancelSessionRequest(ChangeReason? Reason);

/// <summary>A session after a change: as <see cref="SessionDto"/>, with its status and change count.</summary>
public sealed record SessionStateDto(
    Guid Id,
    SessionKind Kind,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string TimeZone,
    IReadOnlyList<Guid> PatientIds,
    string Status,
    int Sequence)
{
    public static SessionStateDto From(Session s) => new(s.Id, s.Kind, s.StartsAt, s.EndsAt, s.TimeZone, s.PatientIds, s.Status, s.Sequence);
}
