using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using OrleansWg.Gateway.Http;

namespace OrleansWg.Gateway.Admin;

/// <summary>Lets a request through only with the admin bearer token; others get 401 before any handler runs.</summary>
public sealed class AdminTokenFilter(IOptions<GatewayOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var expected = Encoding.UTF8.GetBytes(options.Value.AdminToken);
        var given = Encoding.UTF8.GetBytes(BearerToken.From(context.HttpContext) ?? "");
        return CryptographicOperations.FixedTimeEquals(expected, given)
            ? await next(context)
            : Problems.Unauthorized(context.HttpContext, "the admin token is missing or wrong");
    }
}
