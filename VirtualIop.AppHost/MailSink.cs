/// <summary>
/// The SMTP sink (smtp4dev, a local dotnet tool: see .config/dotnet-tools.json) in both modes.
/// Its web UI/API is the <c>http</c> endpoint; mail goes to the <c>smtp</c> endpoint. Both ports are picked at run time.
/// </summary>
internal static class MailSink
{
    public static IResourceBuilder<ExecutableResource> AddMailSink(this IDistributedApplicationBuilder builder)
    {
        var infraScripts = Path.Combine(builder.AppHostDirectory, "infra");
        // smtp4dev.sh runs 'dotnet tool restore' itself when the tool is missing, and fails with a clear message if that fails.
        return builder.AddExecutable("mailsink", "bash", infraScripts, Path.Combine(infraScripts, "smtp4dev.sh"))
            .WithHttpEndpoint(name: "http", env: "SMTP4DEV_HTTP_PORT")
            .WithEndpoint(name: "smtp", scheme: "tcp", env: "SMTP4DEV_SMTP_PORT")
            .WithHttpHealthCheck("/api/messages?pageSize=1", endpointName: "http")
            .WithUrlForEndpoint("http", url => url.DisplayText = "Mailbox");
    }

    /// <summary>Points a service's SMTP client at the sink (<c>Smtp:Host</c>, <c>Smtp:Port</c>).</summary>
    public static IResourceBuilder<ProjectResource> WithSmtp(
        this IResourceBuilder<ProjectResource> project, IResourceBuilder<ExecutableResource> mailSink)
    {
        var smtp = mailSink.GetEndpoint("smtp");
        return project
            .WithEnvironment("Smtp__Host", ReferenceExpression.Create($"{smtp.Property(EndpointProperty.Host)}"))
            .WithEnvironment("Smtp__Port", ReferenceExpression.Create($"{smtp.Property(EndpointProperty.Port)}"))
            .WaitFor(mailSink);
    }
}
