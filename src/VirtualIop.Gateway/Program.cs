using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Gateway;
using VirtualIop.Gateway.Apis;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGatewayServices();

var app = builder.Build();
app.UseForwardedHeaders();
app.UseProblemDetailsForErrors();
app.UseRateLimiter();
app.MapDefaultEndpoints();
app.MapConnectApi();
app.MapApiDocs();
app.MapReverseProxy();
app.Run();
