using VirtualIop.BuildingBlocks.Http;

namespace VirtualIop.Scheduling.Domain;

public enum SessionKind
{
    GroupTherapy,
    IndividualTherapy,
    EducationalModule,
    FamilySession,
    Makeup
}

public static class SessionKinds
{
    /// <summary>The kind as it appears on the wire and in events: "groupTherapy", "makeup", ...</summary>
    public static string Name(this SessionKind kind) => WireName.Of(kind);

    public static SessionKind Parse(string name) => Enum.Parse<SessionKind>(name, ignoreCase: true);
}

public static class ChangeReasons
{
    /// <summary>The reason as it appears on the wire and in events: "clinicianUnavailable", "holiday", ...</summary>
    public static string Name(this ChangeReason reason) => WireName.Of(reason);
}
