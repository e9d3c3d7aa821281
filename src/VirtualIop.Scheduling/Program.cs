using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Scheduling.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSchedulingServices();

var app = builder.Build();
app.UseProblemDetailsForErrors();
app.MapDefaultEndpoints();
app.MapServiceOpenApi();
app.MapSchedulingApi();
app.Run();
