using VirtualIop.Scheduling.Domain;

namespace VirtualIop.UnitTests.Scheduling;

public sealed class SessionKindTests
{
    [Theory]
    [InlineData(SessionKind.GroupTherapy, "groupTherapy")]
    [InlineData(SessionKind.IndividualTherapy, "individualTherapy")]
    [InlineData(SessionKind.EducationalModule, "educationalModule")]
    [InlineData(SessionKind.FamilySession, "familySession")]
    [InlineData(SessionKind.Makeup, "makeup")]
    public void Kinds_are_named_in_events_as_on_the_wire(SessionKind kind, string name)
    {
        Assert.Equal(name, kind.Name());
        Assert.Equal(kind, SessionKinds.Parse(name));
    }
}
