using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace VirtualIop.BuildingBlocks.Http;

/// <summary>
/// A body that is not valid JSON, or a value of the wrong type, answers 400 with a ValidationProblem
/// naming the offending field (from the JSON path), instead of a bare 400 or a 500.
/// </summary>
public sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (exception is not BadHttpRequestException bad) return false;

        var (field, detail) = bad.InnerException is JsonException json
            ? (json.Path is { Length: > 1 } path ? path.TrimStart('$', '.') : "body", "The value is missing, malformed or of the wrong type.")
            : BoundParameterName(bad.Message) is { } parameter
                ? (parameter, "The value is not valid.")
                : ("body", "The request body is missing or unreadable.");
        http.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [detail] })
            {
                Status = bad.StatusCode,
                Title = "The request is invalid."
            }
        });
    }

    // Route and query binding failures read: Failed to bind parameter "DateTimeOffset from" from "x".
    static string? BoundParameterName(string message) =>
        BindFailure().Match(message) is { Success: true } match ? match.Groups["name"].Value : null;

    [GeneratedRegex("^Failed to bind parameter \"(?:[^\"]*\\s)?(?<name>[A-Za-z_][A-Za-z0-9_]*)\"")]
    private static partial Regex BindFailure();
}
