using System.Net;

namespace VirtualIop.Notification.Channels;

/// <summary>
/// Posts a message to an HTTP provider once, knowing whether it may have arrived. Until the request body starts going
/// out the provider cannot act on it, so a failure then (connection refused, DNS, TLS, a timeout while connecting) is
/// safe to retry. Once the body is on the wire, a timeout or a broken connection may follow an accepted message: that is
/// reported as <see cref="SendOutcomeUnknownException"/> and never retried. The request carries the delivery id as its
/// Idempotency-Key, so a provider that honours the header can also drop a copy it has already seen.
/// </summary>
public static class HttpSubmission
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <param name="code">The channel's prefix of reason codes ("sms", "push", "helpdesk").</param>
    public static async Task<HttpResponseMessage> Send(HttpClient http, HttpRequestMessage request, Guid idempotencyKey, string code, CancellationToken ct)
    {
        var body = new TrackedContent(request.Content ?? throw new ArgumentException("A submission has a body.", nameof(request)));
        request.Content = body;
        request.Headers.Add(IdempotencyKeyHeader, idempotencyKey.ToString());
        try
        {
            return await http.SendAsync(request, ct);
        }
        catch (Exception e) when (body.Started && e is HttpRequestException or OperationCanceledException or IOException)
        {
            throw new SendOutcomeUnknownException($"{code}.no_answer", e);
        }
    }

    /// <summary>The request body, noting when the handler starts writing it.</summary>
    sealed class TrackedContent : HttpContent
    {
        readonly HttpContent inner;
        volatile bool started;

        public TrackedContent(HttpContent inner)
        {
            this.inner = inner;
            Headers.ContentType = inner.Headers.ContentType;
        }

        public bool Started => started;

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, default);

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            started = true;
            return inner.CopyToAsync(stream, cancellationToken);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = inner.Headers.ContentLength ?? -1;
            return length >= 0;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
