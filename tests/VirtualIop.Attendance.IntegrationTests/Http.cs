using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VirtualIop.BuildingBlocks.Http;

namespace VirtualIop.Attendance.IntegrationTests;

/// <summary>The calls of the attendance API, as a partner client makes them.</summary>
public static class Http
{
    public static Task<HttpResponseMessage> CheckIn(this HttpClient client, Guid sessionId, Guid patientId) =>
        client.PostAsJsonAsync($"/api/attendance/sessions/{sessionId}/check-ins", new { patientId });

    public static Task<HttpResponseMessage> CheckOut(this HttpClient client, Guid sessionId, Guid patientId) =>
        client.PostAsJsonAsync($"/api/attendance/sessions/{sessionId}/check-outs", new { patientId });

    public static Task<HttpResponseMessage> CheckInStaff(this HttpClient client, Guid sessionId, Guid staffId) =>
        client.PostAsJsonAsync($"/api/attendance/sessions/{sessionId}/check-ins", new { staffId });

    public static Task<HttpResponseMessage> RecordAbsence(this HttpClient client, Guid sessionId, object absence) =>
        client.PostAsJsonAsync($"/api/attendance/sessions/{sessionId}/absences", absence);

    public static Task<HttpResponseMessage> NotifyAbsence(this HttpClient client, object notice) =>
        client.PostAsJsonAsync("/api/attendance/absence-notices", notice);

    public static Task<HttpResponseMessage> WithdrawNotice(this HttpClient client, Guid noticeId) =>
        client.PostAsync($"/api/attendance/absence-notices/{noticeId}/withdrawal", null);

    /// <summary>
    /// Posts a telehealth webhook as the platform does: the body serialized once, signed over timestamp, method, path and
    /// body with the clinic's secret, timestamp <paramref name="signedAt"/>. <paramref name="signature"/> replaces the computed one.
    /// </summary>
    public static Task<HttpResponseMessage> Telehealth(this HttpClient client, Guid clinicId, string secret, object body, DateTimeOffset signedAt,
        string? signature = null)
    {
        var json = JsonSerializer.Serialize(body, JsonSerializerOptions.Web);
        var timestamp = signedAt.ToUnixTimeSeconds();
        var path = $"/api/attendance/webhooks/telehealth/{clinicId}";
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json")
        };
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, signature ?? WebhookSignature.Compute(secret, timestamp, "POST", path, System.Text.Encoding.UTF8.GetBytes(json)));
        return client.SendAsync(request);
    }

    /// <summary>One patient's record as the session read shows it.</summary>
    public static async Task<JsonElement> Record(this HttpClient client, Guid sessionId, Guid patientId)
    {
        var response = await client.GetAttendance(sessionId);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Json()).GetProperty("records").EnumerateArray().Single(r => r.GetProperty("patientId").GetGuid() == patientId);
    }

    public static Task<HttpResponseMessage> GetAttendance(this HttpClient client, Guid sessionId) =>
        client.GetAsync($"/api/attendance/sessions/{sessionId}");

    public static async Task<JsonElement> Json(this HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>The session's records as (patientId, outcome), in the order Scheduling listed the patients.</summary>
    public static async Task<(Guid PatientId, string Outcome)[]> Outcomes(this HttpClient client, Guid sessionId)
    {
        var response = await client.GetAttendance(sessionId);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Json()).GetProperty("records").EnumerateArray()
            .Select(r => (r.GetProperty("patientId").GetGuid(), r.GetProperty("outcome").GetString()!))
            .ToArray();
    }
}
