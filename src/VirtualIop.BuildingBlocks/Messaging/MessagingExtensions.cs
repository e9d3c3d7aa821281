using MassTransit;
using Npgsql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using VirtualIop.BuildingBlocks.Workers;

namespace VirtualIop.BuildingBlocks.Messaging;

public static class MessagingExtensions
{
    public const string BrokerConnectionName = "rabbitmq";

    /// <summary>
    /// MassTransit over RabbitMQ with publisher confirms, durable quorum queues named after the service,
    /// bounded in-process retries before the _error queue, a worker that redrives the _error queues with backoff,
    /// the Dapper outbox relay and inbox, their metrics (meter "VirtualIop.Messaging") and a health check that turns
    /// Degraded while anything is parked.
    /// </summary>
    public static IHostApplicationBuilder AddServiceBus(
        this IHostApplicationBuilder builder,
        string serviceName,
        Action<IBusRegistrationConfigurator> addConsumers)
    {
        var broker = new Uri(builder.Configuration.GetConnectionString(BrokerConnectionName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{BrokerConnectionName} is not configured."));
        var section = builder.Configuration.GetSection(MessagingOptions.SectionName);
        var configured = section.Get<MessagingOptions>() ?? new MessagingOptions();

        builder.Services.AddOptions<MessagingOptions>()
            .Bind(section)
            .Validate(o => o.PublishTimeout > TimeSpan.Zero, "Messaging:PublishTimeout must be positive.")
            .Validate(o => o.OutboxBatchSize > 0, "Messaging:OutboxBatchSize must be positive.")
            .Validate(o => o.OutboxConcurrentBatches > 0, "Messaging:OutboxConcurrentBatches must be positive.")
            .Validate(o => o.OutboxMaxAttempts > 0, "Messaging:OutboxMaxAttempts must be positive.")
            .Validate(o => o.RedriveInterval > TimeSpan.Zero, "Messaging:RedriveInterval must be positive.")
            .Validate(o => o.RedriveMaxDelay >= o.RedriveInterval, "Messaging:RedriveMaxDelay must not be shorter than RedriveInterval.")
            .Validate(o => o.ConcurrentMessageLimit > 0, "Messaging:ConcurrentMessageLimit must be positive.")
            .Validate(o => o.ConcurrentTransactionLimit > 0, "Messaging:ConcurrentTransactionLimit must be positive.")
            .Validate(o => o.PrefetchCount >= o.ConcurrentMessageLimit && o.PrefetchCount <= ushort.MaxValue,
                "Messaging:PrefetchCount must be at least Messaging:ConcurrentMessageLimit and at most 65535.")
            .Validate(o => o.RedriveLimit >= 0, "Messaging:RedriveLimit must not be negative.")
            .Validate(o => o.InboxRetention > o.RedriveWindow + o.RedriveMaxDelay && o.InboxRetention > o.OutboxRetention,
                "Messaging:InboxRetention must be longer than the redrive window and the outbox retention, or a redriven or republished event could run twice.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<MessagingMetrics>();
        builder.Services.AddSingleton<Outbox>();
        builder.Services.AddSingleton(services => new Inbox(services.GetRequiredService<NpgsqlDataSource>(),
            services.GetRequiredService<TimeProvider>(), services.GetRequiredService<IOptions<MessagingOptions>>().Value.ConcurrentTransactionLimit));
        builder.Services.AddHostedService<OutboxRelay>();
        var queues = new ServiceQueues();
        builder.Services.AddSingleton(queues);
        builder.Services.AddSingleton(_ => new ErrorQueues(broker, $"{serviceName}-redrive"));
        builder.Services.AddHostedService<ErrorQueueRedriveWorker>();
        builder.Services.AddHealthChecks().AddCheck<MessagingHealthCheck>(MessagingHealthCheck.Name, failureStatus: HealthStatus.Degraded);
        // Start-up waits until every receive endpoint is bound, so a fresh broker never routes the
        // first events to no queue while the service already reports healthy.
        builder.Services.Configure<MassTransitHostOptions>(host => host.WaitUntilStarted = true);

        builder.Services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, false));
            addConsumers(bus);
            bus.AddConfigureEndpointsCallback((queue, endpoint) =>
            {
                queues.Add(queue);
                endpoint.ConcurrentMessageLimit = configured.ConcurrentMessageLimit;
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    rabbit.SetQuorumQueue();
                    rabbit.PrefetchCount = configured.PrefetchCount;
                }
                endpoint.UseMessageRetry(retry => retry.Exponential(
                    configured.RetryLimit, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(200)));
            });
            bus.UsingRabbitMq((context, rabbit) =>
            {
                var (user, password) = Credentials(broker);
                rabbit.Host(broker.Host, (ushort)(broker.IsDefaultPort || broker.Port < 0 ? 5672 : broker.Port), VirtualHost(broker), host =>
                {
                    host.Username(user);
                    host.Password(password);
                    host.PublisherConfirmation = true;
                });
                rabbit.ConfigureEndpoints(context);
            });
        });
        return builder;
    }

    static string VirtualHost(Uri broker)
    {
        var path = Uri.UnescapeDataString(broker.AbsolutePath.TrimStart('/'));
        return path.Length == 0 ? "/" : path;
    }

    static (string User, string Password) Credentials(Uri broker)
    {
        var parts = broker.UserInfo.Split(':', 2);
        return parts[0].Length == 0
            ? ("guest", "guest")
            : (Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "");
    }
}
