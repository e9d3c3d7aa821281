using Microsoft.Extensions.Options;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Data;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Notification.Channels;
using VirtualIop.Notification.Channels.Email;
using VirtualIop.Notification.Channels.HelpDesk;
using VirtualIop.Notification.Channels.Push;
using VirtualIop.Notification.Channels.Sms;
using VirtualIop.Notification.Data;
using VirtualIop.Notification.Messaging;
using VirtualIop.Notification.Workers;

namespace VirtualIop.Notification.Extensions;

public static class NotificationServiceExtensions
{
    public static IHostApplicationBuilder AddNotificationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase("notificationdb", typeof(Program).Assembly);
        builder.AddServiceBus("notification", bus =>
        {
            bus.AddConsumer<PlanRemindersForScheduledSession>();
            bus.AddConsumer<QueueMissedSessionOutreach>();
            bus.AddConsumer<MoveRemindersOfRescheduledSession>();
            bus.AddConsumer<CancelRemindersOfCancelledSession>();
            bus.AddConsumer<PlanRemindersForAddedParticipant>();
            bus.AddConsumer<CancelRemindersOfRemovedParticipant>();
            bus.AddConsumer<AcknowledgeAbsenceNotice>();
            bus.AddConsumer<OfferTechnicalSupportAfterCorrection>();
            bus.AddConsumer<CancelMissedSessionOutreachOnCorrection>();
            bus.AddConsumer<SupportPatientNearingPolicyLimit>();
            bus.AddConsumer<SupportPatientAfterPolicyBreach>();
            bus.AddConsumer<AlertClinicianOfEngagementRisk>();
            bus.AddConsumer<ConfirmWaitlistPromotion>();
            bus.AddConsumer<ConfirmMakeupBooking>();
            bus.AddConsumer<ShareMakeupOptions>();
            bus.AddConsumer<DropWithdrawnMakeup>();
            bus.AddConsumer<DropExpiredMakeup>();
            bus.AddConsumer<RecordConsentGrant>();
            bus.AddConsumer<RecordConsentRevocation>();
            bus.AddConsumer<LearnCreatedProgram>();
            bus.AddClinicWebhookConsumer(builder.Configuration);
        });
        builder.AddServiceApi(PartnerScopes.Notification);
        builder.Services.AddAuthorization(o => o.AddPolicy(PatientLinkRedemption.Policy, PatientLinkRedemption.BuildPolicy()));

        builder.Services.AddOptions<NotificationOptions>()
            .Bind(builder.Configuration.GetSection(NotificationOptions.SectionName))
            .Validate(o => o.EffectiveReminderOffsets.All(offset => offset > TimeSpan.Zero), "Notification:ReminderOffsets must all be positive.")
            .Validate(o => o.DispatchInterval > TimeSpan.Zero && o.DispatchLease > TimeSpan.Zero && o.SendTimeout > TimeSpan.Zero,
                "Notification:DispatchInterval, DispatchLease and SendTimeout must be positive.")
            .Validate(o => o.DispatchLease >= 2 * o.SendTimeout,
                "Notification:DispatchLease must be at least twice Notification:SendTimeout, so a send ends and is recorded before its lease runs out.")
            .Validate(o => o.DispatchBatchSize > 0 && o.MaxAttempts > 0 && o.DispatchParallelism > 0,
                "Notification:DispatchBatchSize, DispatchParallelism and MaxAttempts must be positive.")
            .Validate(o => Uri.TryCreate(o.PatientPortalUrl, UriKind.Absolute, out _), "Notification:PatientPortalUrl must be an absolute URL.")
            .Validate(o => Uri.TryCreate(o.ClinicianPortalUrl, UriKind.Absolute, out _), "Notification:ClinicianPortalUrl must be an absolute URL.")
            .Validate(o => o.PatientLinks.Lifetime > TimeSpan.Zero && o.PatientLinks.Retention > TimeSpan.Zero,
                "Notification:PatientLinks:Lifetime and Retention must be positive.")
            .Validate(o => o.HelpDesk.WebhookUrl is null || Uri.TryCreate(o.HelpDesk.WebhookUrl, UriKind.Absolute, out _),
                "Notification:HelpDesk:WebhookUrl must be an absolute URL.")
            .Validate(o => o.ReasonReplyWindow > TimeSpan.Zero, "Notification:ReasonReplyWindow must be positive.")
            .ValidateOnStart();
        builder.Services.AddOptions<SmtpOptions>()
            .Bind(builder.Configuration.GetSection(SmtpOptions.SectionName))
            .Validate(o => !string.IsNullOrWhiteSpace(o.Host), "Smtp:Host is not configured.")
            .Validate(o => o.Port is > 0 and < 65536, "Smtp:Port must be a TCP port.")
            .Validate(o => MimeKit.MailboxAddress.TryParse(o.FromAddress, out _), "Smtp:FromAddress must be an email address.")
            .ValidateOnStart();

        builder.Services.AddOptions<SmsOptions>()
            .Bind(builder.Configuration.GetSection(SmsOptions.SectionName))
            .Validate(o => o.PublicBaseUrl is null || Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out _), "Sms:PublicBaseUrl must be an absolute URL.")
            .Validate(o => Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out _), "Sms:BaseUrl must be an absolute URL.")
            .Validate(o => o.FromNumber is null || Domain.ContactRules.IsE164(o.FromNumber), "Sms:FromNumber must be an E.164 number.")
            .Validate(o => o.InboundRetention > TimeSpan.Zero, "Sms:InboundRetention must be positive.")
            .ValidateOnStart();
        builder.Services.AddOptions<PushOptions>()
            .Bind(builder.Configuration.GetSection(PushOptions.SectionName))
            .Validate(o => o.WebhookUrl is null || Uri.TryCreate(o.WebhookUrl, UriKind.Absolute, out _), "Push:WebhookUrl must be an absolute URL.")
            .ValidateOnStart();

        builder.Services.AddSingleton<IValidateOptions<ProductionSettings>, ProductionSettingsValidator>();
        builder.Services.AddOptions<ProductionSettings>().ValidateOnStart();

        builder.Services.AddSingleton<Contacts>();
        builder.Services.AddSingleton<ReminderPlans>();
        builder.Services.AddSingleton<KnownPrograms>();
        builder.Services.AddSingleton<Deliveries>();
        builder.Services.AddSingleton<SessionCopy>();
        builder.Services.AddSingleton<Outreach>();
        builder.Services.AddSingleton<PatientOutreach>();
        builder.Services.AddSingleton<Clinicians>();
        builder.Services.AddSingleton<SessionReplies>();
        builder.Services.AddSingleton<ReasonReplies>();
        builder.Services.AddSingleton<TechnicalHelpRequests>();
        builder.Services.AddSingleton<InboundTexts>();
        builder.Services.AddSingleton<TemplateOverrides>();
        builder.Services.AddSingleton<Consents>();
        builder.Services.AddSingleton<HelpDeskWebhook>();
        builder.Services.AddSingleton<DeliveryQueue>();
        builder.Services.AddSingleton<PersonalLinks>();
        builder.Services.AddSingleton<PatientPortals>();
        builder.Services.AddSingleton<IChannelSender, SmtpEmailSender>();
        builder.Services.AddSingleton<IChannelSender, HttpSmsSender>();
        builder.Services.AddSingleton<IChannelSender, WebhookPushSender>();
        builder.Services.AddSingleton<NotificationMetrics>();
        builder.Services.AddSingleton<DeliveryDispatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DeliveryDispatcher>());
        builder.AddClinicWebhooks();
        builder.Services.AddSingleton<InboundSmsRetention>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<InboundSmsRetention>());
        builder.Services.AddSingleton<PatientLinkRetention>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PatientLinkRetention>());
        return builder;
    }
}
