using VirtualIop.Web.Patient;

namespace VirtualIop.UnitTests.Web;

public sealed class NextPathTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Without_a_next_path_the_patient_lands_on_their_sessions(string? next) =>
        Assert.Equal("/patient/sessions", NextPath.Resolve(next));

    [Theory]
    [InlineData("/patient/makeups")]
    [InlineData("/patient/catch-up/0b7e6c1e-1f4a-4f0e-9a59-2f8f3f0c5a11")]
    [InlineData("/patient/absence?session=0b7e6c1e-1f4a-4f0e-9a59-2f8f3f0c5a11")]
    public void A_patient_page_is_where_the_link_leads(string next) => Assert.Equal(next, NextPath.Resolve(next));

    [Theory]
    [InlineData("https://evil.example.org/patient/sessions")]
    [InlineData("//evil.example.org/patient/sessions")]
    [InlineData("/\\evil.example.org/patient/")]
    [InlineData("/patient/\\evil.example.org")]
    [InlineData("/patient//evil.example.org")]
    [InlineData("/patient/../console")]
    [InlineData("/patient/%2e%2e/console")]
    [InlineData("/patient/\tsessions")]
    [InlineData("/patients")]
    [InlineData("/patient")]
    [InlineData("/console")]
    [InlineData("/p/another-link")]
    [InlineData("javascript:alert(1)")]
    [InlineData(" /patient/sessions")]
    public void Anything_but_a_local_patient_page_falls_back_to_the_sessions_never_an_open_redirect(string next) =>
        Assert.Equal("/patient/sessions", NextPath.Resolve(next));

    [Fact]
    public void An_overlong_next_path_is_not_followed() =>
        Assert.Equal("/patient/sessions", NextPath.Resolve("/patient/" + new string('a', 600)));
}
