using Microsoft.Extensions.Configuration;

/// <summary>
/// Writes the URLs that scripts need (scripts/run.sh) to <c>&lt;data dir&gt;/urls.env</c>, as KEY=value
/// lines, rewritten as resources get their endpoints; <c>READY=true</c> is added once the gateway is healthy.
/// Keys: DASHBOARD_URL, GATEWAY_URL, MAILSINK_URL, RABBITMQ_MANAGEMENT_URL (local mode), READY.
/// The file is deleted at start-up, so a stale one from an earlier run is never read.
/// </summary>
internal static class ResourceUrlsFile
{
    public static void WriteResourceUrlsFile(
        this IDistributedApplicationBuilder builder,
        string dataDirectory,
        IResourceBuilder<IResourceWithEndpoints> gateway,
        IResourceBuilder<IResourceWithEndpoints> mailSink)
    {
        var path = Path.Combine(dataDirectory, "urls.env");
        File.Delete(path);
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var gate = new object();

        void Set(string key, string value)
        {
            lock (gate)
            {
                values[key] = value;
                var temporary = path + ".tmp";
                File.WriteAllLines(temporary, values.Select(entry => $"{entry.Key}={entry.Value}"));
                File.Move(temporary, path, overwrite: true);
            }
        }

        if (builder.Configuration["ASPNETCORE_URLS"] is { Length: > 0 } dashboardUrls)
        {
            Set("DASHBOARD_URL", dashboardUrls.Split(';')[0]);
        }

        void OnEndpoints(IResource resource, string endpointName, string key) =>
            builder.Eventing.Subscribe<ResourceEndpointsAllocatedEvent>(resource, (_, _) =>
            {
                if (resource is IResourceWithEndpoints withEndpoints
                    && withEndpoints.GetEndpoints().FirstOrDefault(e => e.EndpointName == endpointName) is { IsAllocated: true } endpoint)
                {
                    Set(key, endpoint.Url);
                }

                return Task.CompletedTask;
            });

        OnEndpoints(gateway.Resource, "http", "GATEWAY_URL");
        OnEndpoints(mailSink.Resource, "http", "MAILSINK_URL");
        if (builder.Resources.FirstOrDefault(r => r.Name == "rabbitmq") is LocalServerResource localRabbit)
        {
            OnEndpoints(localRabbit, "management", "RABBITMQ_MANAGEMENT_URL");
        }

        builder.Eventing.Subscribe<ResourceReadyEvent>(gateway.Resource, (_, _) =>
        {
            Set("READY", "true");
            return Task.CompletedTask;
        });
    }
}
