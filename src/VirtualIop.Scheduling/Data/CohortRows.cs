using VirtualIop.Scheduling.Domain;

namespace VirtualIop.Scheduling.Data;

/// <summary>How a cohort row is read, shared by the cohort reads and the follow-up bookings.</summary>
static class CohortRows
{
    /// <summary>A cohort with its active roster; each query fills the columns it selects, the others keep their defaults.</summary>
    public sealed class Row
    {
        public Guid Id { get; set; }
        public Guid ProgramId { get; set; }
        public string Name { get; set; } = "";
        public Guid FacilitatorClinicianId { get; set; }
        public int Capacity { get; set; }
        public string TimeZone { get; set; } = "";
        public DateTimeOffset CreatedAt { get; set; }
        public Guid[] Roster { get; set; } = [];
        public bool Rolling { get; set; }

        public Cohort ToCohort() => new(Id, ProgramId, Name, FacilitatorClinicianId, Capacity, TimeZone, Roster, CreatedAt, Rolling);
    }
}
