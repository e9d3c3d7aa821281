using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace VirtualIop.BuildingBlocks.Http;

/// <summary>
/// What every request is held to before an endpoint sees it: a body of at most <see cref="InputBounds.MaxBodyBytes"/>
/// (413), and no NUL character in a query value (400 naming the parameter). PostgreSQL cannot store a NUL in text, so one
/// that reached SQL would fail as a 500; <see cref="NulFreeStringConverter"/> refuses it in JSON bodies the same way.
/// </summary>
public static class RequestBounds
{
    public static IApplicationBuilder UseRequestBounds(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.Request.ContentLength > InputBounds.MaxBodyBytes)
        {
            await TypedResults.Problem(title: "The request body is too large.", detail: $"A request body is at most {InputBounds.MaxBodyBytes} bytes.",
                statusCode: StatusCodes.Status413PayloadTooLarge).ExecuteAsync(http);
            return;
        }
        // A body sent without a length is cut off by the server once it passes the limit (a 413 from the exception handler).
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = InputBounds.MaxBodyBytes;

        if (http.Request.Query.FirstOrDefault(q => q.Value.Any(v => v?.Contains('\0') == true)) is { Key: { } parameter })
        {
            await TypedResults.ValidationProblem(new Dictionary<string, string[]> { [parameter] = ["The value must not contain a NUL character."] })
                .ExecuteAsync(http);
            return;
        }
        await next(http);
    });
}

/// <summary>Reads JSON strings as usual but refuses one holding a NUL character, so it answers 400 naming its field.</summary>
public sealed class NulFreeStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetString();
        return value is not null && value.Contains('\0') ? throw new JsonException("A text value must not contain a NUL character.") : value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
