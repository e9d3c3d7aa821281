using Microsoft.AspNetCore.Http;

namespace VirtualIop.BuildingBlocks.Http;

/// <summary>Reading a raw request body that must be checked (a webhook's signature) before anything parses it.</summary>
public static class RequestBodies
{
    /// <returns>The body, or null when it is longer than <paramref name="maxBytes"/>: refused from its declared length
    /// when it has one, and read no further than one byte past the limit otherwise.</returns>
    public static async Task<byte[]?> ReadAtMost(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes) return null;
        var buffer = new byte[maxBytes + 1];
        var read = 0;
        while (read < buffer.Length && await request.Body.ReadAsync(buffer.AsMemory(read), ct) is var n and > 0) read += n;
        return read > maxBytes ? null : buffer[..read];
    }
}
