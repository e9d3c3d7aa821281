using VirtualIop.BuildingBlocks.Http;

namespace VirtualIop.Engagement.Domain;

/// <summary>What a validation message lists as the accepted values of an enum field.</summary>
public static class Wire
{
    public static string Choices<T>() where T : struct, Enum => string.Join(", ", Enum.GetValues<T>().Select(WireName.Of));
}
