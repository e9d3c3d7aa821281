namespace VirtualIop.BrowserTests;

/// <summary>
/// The whole AppHost for the browser tier, started once for the assembly as the end-to-end tier starts it, and ready
/// only once the web front end answers too (the gateway does not wait for it: it answers 502 for pages until then).
/// </summary>
public sealed class BrowserStack : AppHostStack<Projects.VirtualIop_AppHost>
{
    protected override IReadOnlyList<string> ReadyResources => ["gateway", "web"];
}

[CollectionDefinition(Name)]
public sealed class BrowserStackCollection : ICollectionFixture<BrowserStack>
{
    public const string Name = "browser stack";
}
