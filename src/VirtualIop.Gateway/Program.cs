using VirtualIop.BuildingBlocks.Auth;
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
// Patient-scoped tokens pass the gateway; each service lets them reach only the endpoints and rows of their patient.
app.MapReverseProxy().AllowPatientSelfScopedByHandler();
app.Run();
