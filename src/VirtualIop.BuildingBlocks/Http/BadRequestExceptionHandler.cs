using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace VirtualIop.BuildingBlocks.Http;

/// <summary>
/// A body that is not valid JSON, or a value of the wrong type, answers 400 with a ValidationProblem
/// naming the offending field (from the JSON path), instead of a bare 400 or a 500.
/// </summary>
public sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (exception is not BadHttpRequestException bad) return false;

        var field = (bad.InnerException as JsonException)?.Path is { Length: > 0 } path
            ? path.TrimStart('$', '.')
            : "body";
        var detail = bad.InnerException is JsonException ? "The value is missing, malformed or of the wrong type." : bad.Message;
        http.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field.Length == 0 ? "body" : field] = [detail] })
            {
                Status = bad.StatusCode,
                Title = "The request is invalid."
            }
        });
    }
}
