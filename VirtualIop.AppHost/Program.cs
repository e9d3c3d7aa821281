// The VirtualIop application model: four services, the web front end and the gateway, their databases,
// the broker, and an SMTP sink. Infrastructure comes from containers where a container runtime works, else
// from local executables (see InfrastructureMode). Wiring lives in the small extension files.
var builder = DistributedApplication.CreateBuilder(args);

var infrastructure = builder.AddVirtualIopInfrastructure();
var mailSink = builder.AddMailSink();
var signingKey = builder.AddParameter(
    "signing-key", new GenerateParameterDefault { MinLength = 48, Special = false }, secret: true);

var scheduling = builder.AddService<Projects.VirtualIop_Scheduling>("scheduling", "schedulingdb", infrastructure, signingKey);
var attendance = builder.AddService<Projects.VirtualIop_Attendance>("attendance", "attendancedb", infrastructure, signingKey);
var notification = builder.AddService<Projects.VirtualIop_Notification>("notification", "notificationdb", infrastructure, signingKey)
    .WithSmtp(mailSink);
var engagement = builder.AddService<Projects.VirtualIop_Engagement>("engagement", "engagementdb", infrastructure, signingKey);

var gateway = builder.AddProject<Projects.VirtualIop_Gateway>("gateway", launchProfileName: "http")
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health")
    .WithEnvironment("Auth__SigningKey", signingKey)
    .WithServiceConfiguration();
// Staff sign in to the web app through the gateway, which serves the pages: the code comes back to the gateway's own address.
gateway.WithEnvironment("Auth__WebClient__RedirectUris__0", ReferenceExpression.Create($"{gateway.GetEndpoint("http")}/signin-oidc"))
    .WithServiceConfiguration();
foreach (var service in new[] { scheduling, attendance, notification, engagement })
{
    gateway.WithReference(service).WaitFor(service);
}

// People reach the pages through the gateway, and the pages call the API through it: each refers to the other,
// and neither waits for the other (the gateway answers 502 for a page until the web app is up).
var web = builder.AddProject<Projects.VirtualIop_Web>("web", launchProfileName: "http")
    .WithHttpHealthCheck("/health")
    .WithReference(gateway)
    .WithEnvironment("Web__Authority", gateway.GetEndpoint("http"))
    .WithServiceConfiguration();
gateway.WithReference(web);

// Every link in a message leads to the pages through the gateway: the patient pages and the clinician console.
// The Services:notification settings are applied again after these, so a test or developer can still override them.
var pages = gateway.GetEndpoint("http");
notification
    .WithEnvironment("Notification__PatientPortalUrl", ReferenceExpression.Create($"{pages}"))
    .WithEnvironment("Notification__ClinicianPortalUrl", ReferenceExpression.Create($"{pages}/console"))
    .WithServiceConfiguration();

builder.WriteResourceUrlsFile(infrastructure.DataDirectory, gateway, mailSink);

builder.Build().Run();
