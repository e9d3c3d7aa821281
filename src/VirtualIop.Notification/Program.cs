using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Notification.Apis;
using VirtualIop.Notification.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddNotificationServices();

var app = builder.Build();
app.UseProblemDetailsForErrors();
app.MapDefaultEndpoints();
app.MapServiceOpenApi();
app.MapNotificationApi();
app.Run();
