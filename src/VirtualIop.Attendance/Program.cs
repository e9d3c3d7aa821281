using VirtualIop.Attendance.Extensions;
using VirtualIop.BuildingBlocks.Http;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddAttendanceServices();

var app = builder.Build();
app.UseProblemDetailsForErrors();
app.MapDefaultEndpoints();
app.MapServiceOpenApi();
app.MapAttendanceApi();
app.Run();
