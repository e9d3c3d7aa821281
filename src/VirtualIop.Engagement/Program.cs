using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Engagement.Apis;
using VirtualIop.Engagement.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddEngagementServices();

var app = builder.Build();
app.UseProblemDetailsForErrors();
app.MapDefaultEndpoints();
app.MapServiceOpenApi();
app.MapEngagementApi();
app.Run();
