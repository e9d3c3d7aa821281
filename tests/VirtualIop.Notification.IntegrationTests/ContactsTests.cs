using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace VirtualIop.Notification.IntegrationTests;

[Collection(NotificationCollection.Name)]
public sealed class ContactsTests(NotificationService service) : IClassFixture<NotificationService>
{
    [Fact]
    public async Task A_registered_email_address_is_returned_and_reads_back()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var client = service.ClientFor(clinic);

        var saved = await client.PutAsJsonAsync($"/api/notification/patients/{patient}/contact", new { email = " pat@example.test " });
        var read = await client.GetAsync($"/api/notification/patients/{patient}/contact");

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var contact = await read.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(patient, contact.GetProperty("patientId").GetGuid());
        Assert.Equal("pat@example.test", contact.GetProperty("email").GetString());
    }

    [Theory]
    [InlineData("not an address")]
    [InlineData("")]
    [InlineData("Pat <pat@example.test>")]
    [InlineData("pat@@example.test")]
    public async Task An_email_that_is_not_a_plain_address_is_rejected_naming_the_field_and_nothing_is_written(string email)
    {
        var clinic = Guid.NewGuid();

        var response = await service.ClientFor(clinic).PutAsJsonAsync($"/api/notification/patients/{Guid.NewGuid()}/contact", new { email });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("email", out _), problem.ToString());
        Assert.Equal((0, 0), await service.RowsFor(clinic));
    }

    [Fact]
    public async Task Another_clinic_cannot_see_a_patients_contact()
    {
        var patient = Guid.NewGuid();
        await service.RegisterContact(Guid.NewGuid(), patient);

        var response = await service.ClientFor(Guid.NewGuid()).GetAsync($"/api/notification/patients/{patient}/contact");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Calls_without_a_token_are_unauthorized()
    {
        var client = service.AnonymousClient();
        var patient = Guid.NewGuid();

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"/api/notification/patients/{patient}/contact")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await client.PutAsJsonAsync($"/api/notification/patients/{patient}/contact", new { email = "pat@example.test" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/notification/deliveries")).StatusCode);
    }
}
