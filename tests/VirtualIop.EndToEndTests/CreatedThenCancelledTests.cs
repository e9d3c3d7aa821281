using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace VirtualIop.EndToEndTests;

/// <summary>
/// A session created and cancelled at once: both events leave Scheduling's outbox in the same relay batch, so they may
/// reach the other services in either order. Whatever the order, the session must converge to cancelled everywhere.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class CreatedThenCancelledTests(VirtualIopStack stack)
{
    const int CancelledSessions = 6;
    static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task A_session_cancelled_right_after_it_was_created_gets_no_reminder_no_no_show_and_no_we_missed_you()
    {
        var partner = await stack.Gateway().AuthenticateAs(PartnerClient.DemoClinic);
        var startsAt = DateTimeOffset.UtcNow.AddSeconds(25);
        var control = await NewPatient(partner);
        var cancelled = await Task.WhenAll(Enumerable.Range(0, CancelledSessions).Select(_ => NewPatient(partner)));

        var controlSession = await Schedule(partner, control.Id, startsAt);
        await Task.WhenAll(cancelled.Select(async patient =>
        {
            var sessionId = await Schedule(partner, patient.Id, startsAt);
            var cancel = await partner.PostAsJsonAsync($"/api/scheduling/sessions/{sessionId}/cancel", new { reason = "clinicianUnavailable" });
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        }));

        // The control session ends with the others: once its patient has been missed and told so, the sweep and the
        // reminders have passed the cancelled sessions too.
        await stack.MailSink.WaitForMessageAsync(control.Email,
            mail => mail.Subject?.Contains("missed you", StringComparison.OrdinalIgnoreCase) == true, EventTimeout);
        await partner.Eventually($"/api/attendance/sessions/{controlSession}",
            body => body.GetProperty("records").EnumerateArray().All(r => r.GetProperty("outcome").GetString() == "noShow"), EventTimeout);

        foreach (var patient in cancelled)
        {
            var deliveries = await partner.GetFromJsonAsync<JsonElement>($"/api/notification/deliveries?patientId={patient.Id}");
            // A reminder planned before the cancellation arrived is withdrawn (status cancelled); none may stay to go out.
            Assert.DoesNotContain(deliveries.EnumerateArray(), d => d.GetProperty("kind").GetString() is "reminder" or "missedSession"
                                                                    && d.GetProperty("status").GetString() != "cancelled");
            var timeline = await partner.GetAsync($"/api/attendance/patients/{patient.Id}/timeline");
            Assert.DoesNotContain("noShow", await timeline.Content.ReadAsStringAsync());
            var followUps = await partner.GetFromJsonAsync<JsonElement>($"/api/engagement/follow-ups?patientId={patient.Id}");
            Assert.Equal(0, followUps.GetArrayLength());
            var mail = await stack.MailSink.MessagesToAsync(patient.Email);
            Assert.DoesNotContain(mail, m => m.Subject?.Contains("missed you", StringComparison.OrdinalIgnoreCase) == true);
            Assert.DoesNotContain(mail, m => m.Subject?.Contains("reminder", StringComparison.OrdinalIgnoreCase) == true);
        }
    }

    static async Task<(Guid Id, string Email)> NewPatient(HttpClient partner)
    {
        var id = Guid.NewGuid();
        var email = $"cancelled-race-{id:N}@example.test";
        var contact = await partner.PutAsJsonAsync($"/api/notification/patients/{id}/contact", new { email });
        Assert.Equal(HttpStatusCode.OK, contact.StatusCode);
        return (id, email);
    }

    static async Task<Guid> Schedule(HttpClient partner, Guid patientId, DateTimeOffset startsAt)
    {
        var created = await partner.PostAsJsonAsync("/api/scheduling/sessions", new
        {
            kind = "groupTherapy",
            startsAt,
            durationMinutes = 1,
            timeZone = "America/New_York",
            patientIds = new[] { patientId }
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
