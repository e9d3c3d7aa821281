using System.Net;

namespace VirtualIop.Notification.Channels;

/// <summary>Which HTTP answers from a provider are worth another try (timeouts, throttling, server errors) and which are final.</summary>
public static class HttpFailures
{
    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    public static bool IsTransient(Exception exception) => exception is TransientSendException or HttpRequestException or TimeoutException
        || exception is TaskCanceledException { InnerException: TimeoutException };
}
