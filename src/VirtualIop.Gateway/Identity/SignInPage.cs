using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using OpenIddict.Abstractions;

namespace VirtualIop.Gateway.Identity;

/// <summary>
/// The development issuer's staff sign-in form, rendered at the authorization endpoint. It posts back to the same
/// endpoint with the authorization request's parameters as hidden fields, so no session is kept between the two.
/// Plain HTML: labelled inputs, the browser's own keyboard handling, the error announced to screen readers.
/// </summary>
public static class SignInPage
{
    public const string UsernameField = "username";
    public const string PasswordField = "password";

    public static IResult Render(HttpContext http, OpenIddictRequest request, IAntiforgery antiforgery, string? error = null,
        string? username = null, int statusCode = StatusCodes.Status200OK)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        var e = HtmlEncoder.Default;
        var hidden = new StringBuilder();
        hidden.Append($"""<input type="hidden" name="{e.Encode(tokens.FormFieldName)}" value="{e.Encode(tokens.RequestToken ?? "")}">""");
        foreach (var (name, value) in request.GetParameters())
        {
            foreach (var item in (Microsoft.Extensions.Primitives.StringValues)value)
                hidden.Append($"""<input type="hidden" name="{e.Encode(name)}" value="{e.Encode(item ?? "")}">""");
        }
        var alert = error is null ? "" : $"""<p class="error" role="alert" id="sign-in-error">{e.Encode(error)}</p>""";
        var invalid = error is null ? "" : """ aria-invalid="true" aria-describedby="sign-in-error" """;
        var html = $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Sign in · VirtualIop</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 0; background: #f4f6f8; color: #1b1f24; }
            main { max-width: 24rem; margin: 4rem auto; padding: 2rem; background: #fff; border-radius: .5rem; }
            label { display: block; margin-top: 1rem; font-weight: 600; }
            input[type=text], input[type=password] { width: 100%; box-sizing: border-box; padding: .6rem; font-size: 1rem; border: 1px solid #5f6b7a; border-radius: .25rem; }
            button { margin-top: 1.5rem; width: 100%; padding: .7rem; font-size: 1rem; background: #0b5cad; color: #fff; border: 0; border-radius: .25rem; cursor: pointer; }
            :focus-visible { outline: 3px solid #f0b400; outline-offset: 2px; }
            .error { padding: .75rem; background: #fdecea; border-left: 4px solid #b3261e; }
            </style>
            </head>
            <body>
            <main>
            <h1>Sign in to VirtualIop</h1>
            <p>For clinic staff. Sign in with your VirtualIop user name and password.</p>
            {{alert}}
            <form method="post" action="{{e.Encode(http.Request.PathBase + http.Request.Path)}}">
            {{hidden}}
            <label for="username">User name</label>
            <input id="username" name="{{UsernameField}}" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus value="{{e.Encode(username ?? "")}}"{{invalid}}>
            <label for="password">Password</label>
            <input id="password" name="{{PasswordField}}" type="password" autocomplete="current-password" required{{invalid}}>
            <button type="submit">Sign in</button>
            </form>
            </main>
            </body>
            </html>
            """;
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
        return TypedResults.Content(html, "text/html; charset=utf-8", Encoding.UTF8, statusCode);
    }
}
