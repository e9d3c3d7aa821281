using DotNet.Testcontainers.Configurations;

namespace VirtualIop.TestSupport;

/// <summary>
/// Where the test servers come from. scripts/test.sh starts local servers and sets these variables;
/// otherwise the fixtures fall back to Testcontainers when Docker is available, and fail with a
/// message saying what to do when it is not.
/// </summary>
public static class TestEnvironment
{
    /// <summary>Npgsql connection string to the server's <c>postgres</c> database, as superuser.</summary>
    public const string Postgres = "VIRTUALIOP_TEST_POSTGRES";

    /// <summary>amqp URI of the broker (default virtual host).</summary>
    public const string RabbitMq = "VIRTUALIOP_TEST_RABBITMQ";

    /// <summary>Management HTTP API base with credentials, e.g. <c>http://guest:guest@127.0.0.1:15672</c>.</summary>
    public const string RabbitMqManagement = "VIRTUALIOP_TEST_RABBITMQ_MANAGEMENT";

    /// <summary>SMTP host of the mail sink.</summary>
    public const string SmtpHost = "VIRTUALIOP_TEST_SMTP_HOST";

    /// <summary>SMTP port of the mail sink.</summary>
    public const string SmtpPort = "VIRTUALIOP_TEST_SMTP_PORT";

    /// <summary>smtp4dev web/API base URL.</summary>
    public const string MailSinkUrl = "VIRTUALIOP_TEST_MAILSINK_URL";

    static readonly Lazy<bool> DockerAvailable = new(() =>
    {
        try
        {
            // Null (after ~120 ms) when no Docker endpoint answers: a cheap check before any container build.
            return TestcontainersSettings.OS.DockerEndpointAuthConfig is not null;
        }
        catch (Exception)
        {
            return false;
        }
    });

    /// <summary>True when Testcontainers can reach a Docker engine.</summary>
    public static bool IsDockerAvailable => DockerAvailable.Value;

    /// <summary>The value of an environment variable, or null when unset or blank.</summary>
    public static string? Get(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value) ? value : null;

    internal static InvalidOperationException Unavailable(string what, params string[] variables) => new(
        $"No {what} for the tests: set {string.Join(" and ", variables)}, or run the tests with 'bash scripts/test.sh' " +
        "(it starts local servers and sets them), or install Docker so that Testcontainers can start one.");

    /// <summary>A short, unique, lower-case name (letters, digits, '_') starting with <paramref name="prefix"/>.</summary>
    public static string UniqueName(string prefix)
    {
        var clean = new string(prefix.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray()).Trim('_');
        if (clean.Length == 0 || !char.IsAsciiLetter(clean[0]))
        {
            clean = "t_" + clean;
        }

        if (clean.Length > 40)
        {
            clean = clean[..40];
        }

        return $"{clean}_{Guid.NewGuid():N}"[..(clean.Length + 1 + 16)];
    }
}
