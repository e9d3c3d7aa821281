using VirtualIop.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddWebServices();

var app = builder.Build();
app.UseWebPipeline();
app.MapDefaultEndpoints();
app.MapWebPages();
app.Run();
