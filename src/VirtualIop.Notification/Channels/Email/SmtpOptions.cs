namespace VirtualIop.Notification.Channels.Email;

public sealed class SmtpOptions
{
    public const string SectionName = "Smtp";

    public string? Host { get; set; }

    public int Port { get; set; } = 25;

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>
    /// Off for the local sink; on for a real relay (implicit TLS on 465, STARTTLS otherwise). Outside Development the
    /// service refuses to start without it.
    /// </summary>
    public bool UseTls { get; set; }

    public string FromAddress { get; set; } = "care@virtualiop.local";

    public string FromName { get; set; } = "VirtualIop";

    /// <summary>Longest wait for any one SMTP operation.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public ChannelResilienceOptions Resilience { get; set; } = new();
}
