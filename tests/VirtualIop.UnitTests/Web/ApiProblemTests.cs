using VirtualIop.Web.Patient;

namespace VirtualIop.UnitTests.Web;

public sealed class ApiProblemTests
{
    [Fact]
    public void A_validation_problem_gives_each_named_field_its_messages()
    {
        var problem = ApiProblem.Parse("""
            {"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"One or more validation errors occurred.","status":400,
             "errors":{"timeZone":["Not a known IANA time zone."],"quietHours.start":["A time of day as HH:mm is required."]}}
            """);

        Assert.Equal(["Not a known IANA time zone."], problem.For("timeZone"));
        Assert.Equal(["A time of day as HH:mm is required."], problem.For("quietHours.start"));
        Assert.Empty(problem.For("channels"));
        Assert.Equal(["A time of day as HH:mm is required."], problem.Others("timeZone"));
    }

    [Fact]
    public void A_problem_without_fields_is_told_by_its_detail()
    {
        var problem = ApiProblem.Parse("""{"title":"Slot taken","status":409,"detail":"The clinician was just booked; pick another slot."}""");

        Assert.Equal(["The clinician was just booked; pick another slot."], problem.Others());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("<html>Bad gateway</html>")]
    [InlineData("[1,2]")]
    public void An_answer_that_is_no_problem_document_names_no_fields(string? body)
    {
        var problem = ApiProblem.Parse(body);

        Assert.Empty(problem.Errors);
        Assert.Empty(problem.Others());
    }
}
