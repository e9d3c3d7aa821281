namespace VirtualIop.EndToEndTests;

/// <summary>The whole AppHost for the end-to-end tier, started once for the assembly (see <see cref="AppHostStack{TAppHost}"/>).</summary>
public sealed class VirtualIopStack : AppHostStack<Projects.VirtualIop_AppHost>;

[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<VirtualIopStack>
{
    public const string Name = "stack";
}
