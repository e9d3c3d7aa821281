using MassTransit;
using Microsoft.Extensions.Options;
using VirtualIop.Notification.Data.Webhooks;
using VirtualIop.Notification.Messaging;
using VirtualIop.Notification.Workers;

namespace VirtualIop.Notification.Extensions;

/// <summary>Event webhooks to partner clinics: subscriptions, the fan-out consumer, the delivery queue and its dispatcher.</summary>
public static class WebhookServiceExtensions
{
    /// <summary>The consumer that queues deliveries, unless Webhooks:Enabled is false.</summary>
    public static void AddClinicWebhookConsumer(this IBusRegistrationConfigurator bus, IConfiguration configuration)
    {
        if (configuration.GetSection(WebhookOptions.SectionName).GetValue(nameof(WebhookOptions.Enabled), true))
            bus.AddConsumer<QueueClinicWebhooks>();
    }

    public static IHostApplicationBuilder AddClinicWebhooks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhookOptions>()
            .Bind(builder.Configuration.GetSection(WebhookOptions.SectionName))
            .Validate(o => o.DispatchInterval > TimeSpan.Zero && o.SendTimeout > TimeSpan.Zero && o.FirstRetryDelay > TimeSpan.Zero,
                "Webhooks:DispatchInterval, SendTimeout and FirstRetryDelay must be positive.")
            .Validate(o => o.DispatchLease >= 2 * o.SendTimeout, "Webhooks:DispatchLease must be at least twice Webhooks:SendTimeout.")
            .Validate(o => o.MaxRetryDelay >= o.FirstRetryDelay, "Webhooks:MaxRetryDelay must not be shorter than FirstRetryDelay.")
            .Validate(o => o.DispatchBatchSize > 0 && o.DispatchParallelism > 0 && o.DisableAfterFailures > 0 && o.MaxSubscriptionsPerClinic > 0,
                "Webhooks:DispatchBatchSize, DispatchParallelism, DisableAfterFailures and MaxSubscriptionsPerClinic must be positive.")
            .Validate(o => o.RetryFor > TimeSpan.Zero && o.SecretOverlap >= TimeSpan.Zero && o.OrderingHold >= TimeSpan.Zero && o.DisableAfterFailingFor >= TimeSpan.Zero,
                "Webhooks:RetryFor must be positive; SecretOverlap, OrderingHold and DisableAfterFailingFor must not be negative.")
            .Validate(o => o.LogRetention > o.RetryFor, "Webhooks:LogRetention must be longer than Webhooks:RetryFor.")
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => new WebhookTargetPolicy(
            sp.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowPrivateTargets ?? sp.GetRequiredService<IHostEnvironment>().IsDevelopment()));
        builder.Services.AddSingleton<WebhookSubscriptions>();
        builder.Services.AddSingleton<WebhookDeliveries>();
        builder.Services.AddSingleton<WebhookDispatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        builder.Services.AddSingleton<WebhookLogRetention>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WebhookLogRetention>());
        return builder;
    }
}
