using System.Net;

namespace VirtualIop.Notification.Channels;

/// <summary>Which HTTP answers from a provider are worth another try (timeouts, throttling, server errors) and which are final.</summary>
public static class HttpFailures
{
    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    public static bool IsTransient(Exception exception) => exception is TransientSendException or HttpRequestException or TimeoutException
        || exception is TaskCanceledException { InnerException: TimeoutException };

    /// <summary>The reason code of an HTTP status answered by a channel's provider ("sms.http_503").</summary>
    public static string Reason(string code, HttpStatusCode status) => $"{code}.http_{(int)status}";

    /// <summary>The reason code of a network failure calling a channel's provider; never its message, which may quote the request.</summary>
    public static string Reason(string code, Exception exception) => exception switch
    {
        HttpRequestException { HttpRequestError: var error } => $"{code}.{ChannelResilience.Snake(error.ToString())}",
        TimeoutException or TaskCanceledException => $"{code}.timeout",
        _ => $"{code}.{ChannelResilience.Snake(exception.GetType().Name.Replace("Exception", ""))}"
    };
}
