using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace VirtualIop.Scheduling.IntegrationTests;

/// <summary>Instants outside 2000–2100 and arrays past their maxima are a 400 naming the field, never a 500, and nothing is written.</summary>
[Collection(SchedulingCollection.Name)]
public sealed class InputBoundsTests(SchedulingService scheduling) : IClassFixture<SchedulingService>
{
    [Theory]
    [InlineData("9999-12-31T23:59:00Z")]
    [InlineData("2100-01-01T00:00:00Z")]
    public async Task A_booking_at_the_end_of_time_is_refused_naming_startsAt_and_nothing_is_written(string startsAt)
    {
        var clinicId = Guid.NewGuid();
        var body = $$"""
            {"clinicianId":"{{Guid.NewGuid()}}","patientId":"{{Guid.NewGuid()}}","startsAt":"{{startsAt}}","durationMinutes":480,"timeZone":"America/New_York"}
            """;

        var response = await scheduling.ClientFor(clinicId).PostAsync("/api/scheduling/bookings", new StringContent(body, Encoding.UTF8, "application/json"));

        await response.AssertValidationProblem("startsAt");
        Assert.Equal((0, 0, 0), await scheduling.RowsFor(clinicId));
    }

    [Fact]
    public async Task Availability_with_too_many_entries_or_time_off_at_the_end_of_time_is_refused_naming_the_field_and_nothing_is_stored()
    {
        var clinic = scheduling.ClientFor(Guid.NewGuid());
        var clinician = Guid.NewGuid();
        var url = $"/api/scheduling/clinicians/{clinician}/availability";

        await (await clinic.PutAsJsonAsync(url, new
        {
            timeZone = "America/New_York",
            weeklyHours = Enumerable.Range(0, 36).Select(_ => new { day = "tuesday", from = "09:00", to = "10:00" })
        })).AssertValidationProblem("weeklyHours");
        await (await clinic.PutAsJsonAsync(url, new
        {
            timeZone = "America/New_York",
            weeklyHours = new[] { new { day = "tuesday", from = "09:00", to = "17:00" } },
            timeOff = Enumerable.Range(0, 101).Select(i => new { from = DateTimeOffset.UtcNow.AddDays(i), to = DateTimeOffset.UtcNow.AddDays(i).AddHours(1) })
        })).AssertValidationProblem("timeOff");
        await (await clinic.PutAsJsonAsync(url, new
        {
            timeZone = "America/New_York",
            weeklyHours = new[] { new { day = "tuesday", from = "09:00", to = "17:00" } },
            timeOff = new[] { new { from = "2030-01-01T00:00:00Z", to = "9999-12-31T23:59:00Z" } }
        })).AssertValidationProblem("timeOff[0].to");

        await (await clinic.GetAsync(url)).AssertProblem(HttpStatusCode.NotFound);
    }
}
