namespace VirtualIop.Notification.Channels.Email;

public sealed class SmtpOptions
{
    public const string SectionName = "Smtp";

    public string? Host { get; set; }

    public int Port { get; set; } = 25;

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Off for the local sink; on for a real relay (implicit TLS on 465, STARTTLS otherwise).</summary>
    public bool UseTls { get; set; }

    public string FromAddress { get; set; } = "care@virtualiop.local";

    public string FromName { get; set; } = "VirtualIop";

    /// <summary>Retries in process on a transient error, before the delivery is handed back to a later pass.</summary>
    public int RetryAttempts { get; set; } = 3;

    /// <summary>Median delay before the first retry; later ones back off exponentially, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait for any one SMTP operation.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
