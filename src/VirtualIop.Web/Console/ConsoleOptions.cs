namespace VirtualIop.Web.StaffConsole;

/// <summary>How staff sign in to the console (section <c>Web</c>, beside <see cref="WebOptions"/>).</summary>
public sealed class ConsoleOptions
{
    /// <summary>
    /// The OpenID Connect authority staff sign in at: the gateway's public address, the one the browser uses (the AppHost
    /// passes the gateway's endpoint). Its discovery document is read from here, so the web app must reach it too.
    /// </summary>
    public string Authority { get; set; } = "http://localhost:5080";

    /// <summary>The console's confidential client at the authority.</summary>
    public string ClientId { get; set; } = "virtualiop-web";

    /// <summary>The client's secret; required (development's is in appsettings.Development.json).</summary>
    public string ClientSecret { get; set; } = "";
}
