namespace VirtualIop.Web;

/// <summary>The named HttpClient that calls the gateway's partner API; each call carries the signed-in user's token.</summary>
public static class GatewayClient
{
    public const string Name = "gateway";
}
