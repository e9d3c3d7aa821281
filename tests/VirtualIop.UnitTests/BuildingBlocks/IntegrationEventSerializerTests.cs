using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.UnitTests.BuildingBlocks;

public sealed class IntegrationEventSerializerTests
{
    [Fact]
    public void An_event_read_back_from_the_outbox_equals_the_one_written()
    {
        var scheduled = new SessionScheduled(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "groupTherapy",
            new DateTimeOffset(2026, 3, 8, 18, 0, 0, TimeSpan.FromHours(-4)), new DateTimeOffset(2026, 3, 8, 19, 0, 0, TimeSpan.FromHours(-4)),
            "America/New_York", [Guid.NewGuid(), Guid.NewGuid()]);

        var (message, type) = IntegrationEventSerializer.Deserialize(
            IntegrationEventSerializer.TypeName(typeof(SessionScheduled)), IntegrationEventSerializer.Serialize(scheduled));

        Assert.Equal(typeof(SessionScheduled), type);
        var read = Assert.IsType<SessionScheduled>(message);
        Assert.Equal(scheduled with { PatientIds = read.PatientIds }, read);
        Assert.Equal(scheduled.PatientIds, read.PatientIds);
    }

    [Fact]
    public void Outbox_rows_built_in_sql_with_camel_case_keys_are_readable()
    {
        const string body = """
            {"eventId":"0f8fad5b-d9cb-469f-a165-70867728950e","clinicId":"7c9e6679-7425-40de-944b-e07fc1f90ae7",
             "sessionId":"9b2c4a8e-1d3f-4e5a-8b6c-7d8e9f0a1b2c","patientId":"1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d",
             "sessionStartsAt":"2026-11-29T18:00:00+00:00","timeZone":"America/New_York","detectedAt":"2026-11-29T19:20:00+00:00"}
            """;

        var (message, _) = IntegrationEventSerializer.Deserialize(typeof(SessionMissed).FullName!, body);

        var missed = Assert.IsType<SessionMissed>(message);
        Assert.Equal(Guid.Parse("1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d"), missed.PatientId);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 18, 0, 0, TimeSpan.Zero), missed.SessionStartsAt);
    }

    [Fact]
    public void A_type_outside_the_contracts_is_never_instantiated()
    {
        Assert.ThrowsAny<Exception>(() => IntegrationEventSerializer.Deserialize("System.IO.FileInfo", "{}"));
    }
}
