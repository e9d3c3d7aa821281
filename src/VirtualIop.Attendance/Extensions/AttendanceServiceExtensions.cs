using VirtualIop.Attendance.Apis;
using VirtualIop.Attendance.Data;
using VirtualIop.Attendance.Domain;
using VirtualIop.Attendance.Messaging;
using VirtualIop.Attendance.Workers;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Data;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.BuildingBlocks.Messaging;

namespace VirtualIop.Attendance.Extensions;

public static class AttendanceServiceExtensions
{
    public static IHostApplicationBuilder AddAttendanceServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase("attendancedb", typeof(AttendanceServiceExtensions).Assembly);
        builder.AddServiceBus("attendance", bus =>
        {
            bus.AddConsumer<RecordScheduledSession>();
            bus.AddConsumer<RecordMakeupCompleted>();
            bus.AddConsumer<FollowRescheduledSession>();
            bus.AddConsumer<SkipCancelledSession>();
            bus.AddConsumer<AddJoiningParticipant>();
            bus.AddConsumer<RemoveLeavingParticipant>();
            bus.AddConsumer<NotifyAbsenceOnDeclinedReply>();
            bus.AddConsumer<SetNoticeReasonFromReply>();
            bus.AddConsumer<LearnCreatedProgram>();
        });
        builder.AddServiceApi(PartnerScopes.Attendance);

        builder.Services.AddOptions<AttendanceOptions>()
            .Bind(builder.Configuration.GetSection(AttendanceOptions.SectionName))
            .Validate(o => o.NoShowGrace >= TimeSpan.Zero, "Attendance:NoShowGrace must not be negative.")
            .Validate(o => o.SweepInterval > TimeSpan.Zero, "Attendance:SweepInterval must be positive.")
            .Validate(o => o.SweepBatchSize > 0, "Attendance:SweepBatchSize must be positive.")
            .Validate(o => o.LateAfter >= TimeSpan.Zero, "Attendance:LateAfter must not be negative.")
            .Validate(o => o.PartialBelowPercent is >= 0 and <= 100, "Attendance:PartialBelowPercent must be between 0 and 100.")
            .Validate(o => o.NoticeHours >= 0, "Attendance:NoticeHours must not be negative.")
            .Validate(o => o.ExcusedReasons.All(r => AttendanceOutcomes.TryParseReason(r, out _)), "Attendance:ExcusedReasons must name known reason categories.")
            .Validate(o => o.PolicyEvaluationInterval > TimeSpan.Zero, "Attendance:PolicyEvaluationInterval must be positive.")
            .Validate(o => o.PolicyEvaluationBatchSize > 0, "Attendance:PolicyEvaluationBatchSize must be positive.")
            .Validate(o => o.PendingPresenceRetention > TimeSpan.Zero, "Attendance:PendingPresenceRetention must be positive.")
            .ValidateOnStart();
        builder.Services.AddOptions<TelehealthOptions>()
            .Bind(builder.Configuration.GetSection(TelehealthOptions.SectionName))
            .ValidateClinicWebhook(TelehealthOptions.SectionName, o => o)
            .Validate(o => o.EventRetention > 2 * o.MaxClockSkew,
                "Attendance:Telehealth:EventRetention must be longer than twice MaxClockSkew, or a replay could outlive its event id.")
            .ValidateOnStart();

        builder.Services.AddSingleton<AttendanceSessions>();
        builder.Services.AddSingleton<TelehealthWebhooks>();
        builder.Services.AddSingleton<SessionChanges>();
        builder.Services.AddSingleton<PendingPresence>();
        builder.Services.AddSingleton<NoShows>();
        builder.Services.AddSingleton<AbsenceNotices>();
        builder.Services.AddSingleton<ProgramPolicies>();
        builder.Services.AddSingleton<KnownPrograms>();
        builder.Services.AddSingleton<Corrections>();
        builder.Services.AddSingleton<PatientTimelines>();
        builder.Services.AddSingleton<AttendanceReads>();
        builder.Services.AddSingleton<Billing>();
        builder.Services.AddSingleton<CohortHeatmaps>();
        builder.Services.AddSingleton<HistoryImports>();
        builder.Services.AddSingleton<PolicyEvaluator>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PolicyEvaluator>());
        // One instance serves as the hosted worker and as what tests resolve to run a pass at a chosen time.
        builder.Services.AddSingleton<SweepMetrics>();
        builder.Services.AddSingleton<NoShowSweep>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NoShowSweep>());
        builder.Services.AddSingleton<TelehealthEventRetention>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TelehealthEventRetention>());
        builder.Services.AddSingleton<PendingPresencePurge>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PendingPresencePurge>());
        return builder;
    }

    public static WebApplication MapAttendanceApi(this WebApplication app)
    {
        app.MapAttendanceSessionsApi();
        app.MapAbsenceNoticesApi();
        app.MapProgramPoliciesApi();
        app.MapPatientsApi();
        app.MapTelehealthWebhooksApi();
        app.MapAttendanceReadsApi();
        app.MapBillingApi();
        app.MapAttendanceHistoryApi();
        app.MapAuditApi("attendance");
        return app;
    }
}
