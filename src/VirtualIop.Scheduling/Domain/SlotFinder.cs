namespace VirtualIop.Scheduling.Domain;

/// <summary>A time a clinician could see a patient.</summary>
public sealed record Slot(Guid ClinicianId, DateTimeOffset StartsAt, DateTimeOffset EndsAt);

/// <summary>A clinician who could take a one-on-one makeup: their hours and time off, and what they already hold.</summary>
public sealed record CandidateClinician(Guid ClinicianId, Availability Availability, IReadOnlyList<TimeOff> Busy);

/// <summary>
/// Proposes one-on-one slots: starts on a fixed grid (every <c>step</c> from the top of the hour) inside the search window,
/// where the clinician works, is not off and not busy, the patient is not busy, and the slot lies within the patient's
/// preferred hours when they gave any. Earliest first; at equal times the clinician listed first (the facilitator) wins.
/// </summary>
public static class SlotFinder
{
    public static readonly TimeSpan Step = TimeSpan.FromMinutes(30);

    public static IReadOnlyList<Slot> NextFree(
        IReadOnlyList<CandidateClinician> clinicians,
        Availability? patientHours,
        IReadOnlyList<TimeOff> patientBusy,
        DateTimeOffset from,
        DateTimeOffset until,
        TimeSpan length,
        int max)
    {
        var slots = new List<Slot>();
        if (clinicians.Count == 0 || max <= 0) return slots;
        for (var start = RoundUp(from, Step); start + length <= until && slots.Count < max; start += Step)
        {
            var end = start + length;
            if (patientHours is not null && !patientHours.Covers(start, end)) continue;
            if (Overlaps(patientBusy, start, end)) continue;
            var free = clinicians.FirstOrDefault(c => c.Availability.Covers(start, end) && !Overlaps(c.Busy, start, end));
            if (free is not null) slots.Add(new Slot(free.ClinicianId, start, end));
        }
        return slots;
    }

    static bool Overlaps(IReadOnlyList<TimeOff> busy, DateTimeOffset start, DateTimeOffset end) => busy.Any(b => b.From < end && start < b.To);

    static DateTimeOffset RoundUp(DateTimeOffset instant, TimeSpan step)
    {
        var utc = instant.ToUniversalTime();
        var ticks = (utc.UtcTicks + step.Ticks - 1) / step.Ticks * step.Ticks;
        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }
}
