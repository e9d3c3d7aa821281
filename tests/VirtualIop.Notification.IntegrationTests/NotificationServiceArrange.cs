namespace VirtualIop.Notification.IntegrationTests;

/// <summary>The arrange most outreach tests open with, so each test shows only what sets it apart.</summary>
static class NotificationServiceArrange
{
    /// <summary>Starts the service (so any URL set on it before is used) with one patient of a fresh clinic whose email is registered.</summary>
    public static async Task<(Guid Clinic, Guid Patient, string Email)> InitializeWithNewPatient(this NotificationService service)
    {
        await service.InitializeAsync();
        return await service.NewPatient();
    }

    /// <summary>One patient of a fresh clinic whose email is registered, on a service already started (a shared one).</summary>
    public static async Task<(Guid Clinic, Guid Patient, string Email)> NewPatient(this NotificationService service)
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        return (clinic, patient, await service.RegisterContact(clinic, patient));
    }
}
