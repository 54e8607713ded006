using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using OrleansWg.Gateway.Http;

namespace OrleansWg.Gateway.Admin;

/// <summary>
/// Lets a request through only with the admin token, as a bearer token or as the password of
/// Basic authentication (which a browser asks for, on the dashboard); others get 401 before any handler runs.
/// </summary>
public sealed class AdminTokenFilter(IOptions<GatewayOptions> options) : IEndpointFilter
{
    private static readonly string[] Challenges = ["Bearer", "Basic realm=\"OrleansWg admin\", charset=\"UTF-8\""];

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var expected = Encoding.UTF8.GetBytes(options.Value.AdminToken);
        var given = Encoding.UTF8.GetBytes(AuthorizationHeader.Credentials(context.HttpContext, "Bearer") ?? BasicPassword(context.HttpContext) ?? "");
        return CryptographicOperations.FixedTimeEquals(expected, given)
            ? await next(context)
            : Problems.Unauthorized(context.HttpContext, "the admin token is missing or wrong", Challenges);
    }

    /// <returns>The password of an "Authorization: Basic ..." header, whatever its user name, or null.</returns>
    private static string? BasicPassword(HttpContext context)
    {
        if (AuthorizationHeader.Credentials(context, "Basic") is not { } encoded)
        {
            return null;
        }

        try
        {
            var credentials = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            return credentials.IndexOf(':') is var colon and >= 0 ? credentials[(colon + 1)..] : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
