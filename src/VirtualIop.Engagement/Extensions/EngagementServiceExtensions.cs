using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Data;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Engagement.Data;
using VirtualIop.Engagement.Domain;
using VirtualIop.Engagement.Messaging;
using VirtualIop.Engagement.Workers;

namespace VirtualIop.Engagement.Extensions;

public static class EngagementServiceExtensions
{
    public static IHostApplicationBuilder AddEngagementServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase("engagementdb", typeof(Program).Assembly);
        builder.AddServiceBus("engagement", bus =>
        {
            bus.AddConsumer<OpenFollowUpOnMiss>();
            bus.AddConsumer<AssignContinuityOnMiss>();
            bus.AddConsumer<AssignContinuityOnAbsenceNotice>();
            bus.AddConsumer<ClearCatchUpOnMakeup>();
            bus.AddConsumer<EvaluateRiskOnMiss>();
            bus.AddConsumer<EvaluateRiskOnAttendance>();
            bus.AddConsumer<EvaluateRiskOnAbsenceNotice>();
            bus.AddConsumer<ReevaluateRiskOnCorrection>();
            bus.AddConsumer<CloseOutreachOnCorrection>();
            bus.AddConsumer<CloseCatchUpOnCorrection>();
            bus.AddConsumer<KeepRosterOnSessionScheduled>();
            bus.AddConsumer<KeepRosterOnParticipantAdded>();
            bus.AddConsumer<KeepRosterOnParticipantRemoved>();
            bus.AddConsumer<KeepRosterOnSessionRescheduled>();
            bus.AddConsumer<KeepRosterOnSessionCancelled>();
            bus.AddConsumer<RecordMakeupBooked>();
            bus.AddConsumer<RecordMakeupCompleted>();
            bus.AddConsumer<RecordMakeupOffered>();
            bus.AddConsumer<RecordMakeupExpired>();
            bus.AddConsumer<RecordMakeupWithdrawn>();
            bus.AddConsumer<LearnCreatedProgram>();
            bus.AddConsumer<OpenSafetyCheckOnEmergencyAbsence>();
            bus.AddConsumer<OpenSafetyCheckOnEmergencyCorrection>();
        });
        builder.AddServiceApi(PartnerScopes.Engagement);
        builder.Services.AddSingleton<FamilyInvolvement>();
        builder.Services.AddSingleton<FollowUpTasks>();
        builder.Services.Configure<SafetyCheckOptions>(builder.Configuration.GetSection(SafetyCheckOptions.SectionName));
        builder.Services.AddSingleton<SafetyChecks>();
        builder.Services.AddSingleton<SessionContents>();
        builder.Services.AddSingleton<ContinuityPackages>();
        builder.Services.Configure<PatternSettings>(builder.Configuration.GetSection("Engagement:Patterns"));
        builder.Services.AddSingleton<ProgramPatternSettings>();
        builder.Services.AddSingleton<KnownPrograms>();
        builder.Services.AddSingleton<PatientRoster>();
        builder.Services.AddSingleton<EngagementRisks>();
        builder.Services.AddSingleton<Makeups>();
        builder.Services.AddSingleton<EngagementScores>();
        builder.Services.AddSingleton<EngagementViews>();
        builder.Services.AddSingleton<Consents>();
        builder.Services.AddSingleton<TreatmentPlanLog>();
        builder.Services.AddSingleton<FamilyTasksOfExpiredConsents>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<FamilyTasksOfExpiredConsents>());
        builder.Services.AddSingleton<RiskOfOverdueHomework>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RiskOfOverdueHomework>());
        return builder;
    }
}
