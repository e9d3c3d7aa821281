namespace VirtualIop.BrowserTests;

/// <summary>
/// The whole AppHost for the browser tier, started once for the assembly as the end-to-end tier starts it, and ready
/// only once the web front end answers too (the gateway does not wait for it: it answers 502 for pages until then).
/// Notification's help desk is a local listener, so a test sees the ticket a patient's request for help opens.
/// </summary>
public sealed class BrowserStack : AppHostStack<Projects.VirtualIop_AppHost>
{
    public HelpDeskListener HelpDesk { get; } = new();

    protected override IReadOnlyList<string> ReadyResources => ["gateway", "web"];

    protected override IEnumerable<string> Arguments =>
    [
        $"--Services:notification:Notification:HelpDesk:WebhookUrl={HelpDesk.TicketsUrl}",
        $"--Services:notification:Notification:HelpDesk:SigningSecret={HelpDeskListener.SigningSecret}"
    ];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await HelpDesk.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserStackCollection : ICollectionFixture<BrowserStack>
{
    public const string Name = "browser stack";
}
