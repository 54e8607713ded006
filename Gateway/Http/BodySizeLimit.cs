using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace OrleansWg.Gateway.Http;

/// <summary>
/// The largest request body an endpoint reads. Every endpoint has one (<see cref="Default"/> unless
/// it says otherwise): a body that says it is larger is answered 413 before anything reads it, and
/// one that grows past it while being read is cut off by Kestrel.
/// </summary>
public sealed record BodySizeLimit(long MaxRequestBodySize) : IRequestSizeLimitMetadata
{
    public const long Default = 4 * 1024;

    long? IRequestSizeLimitMetadata.MaxRequestBodySize => MaxRequestBodySize;
}

public static class BodySizeLimits
{
    public static TBuilder LimitBody<TBuilder>(this TBuilder endpoint, long bytes)
        where TBuilder : IEndpointConventionBuilder => endpoint.WithMetadata(new BodySizeLimit(bytes));

    /// <summary>Applies each endpoint's limit; place it after routing, before anything reads a body.</summary>
    public static IApplicationBuilder UseBodySizeLimits(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? BodySizeLimit.Default;
        if (context.Request.ContentLength > limit)
        {
            // The body stays unread: the connection cannot carry another request, and the client is told so.
            context.Response.Headers.Connection = "close";
            await Problems.Of(StatusCodes.Status413PayloadTooLarge, $"the request body may be at most {limit} bytes").ExecuteAsync(context);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        await next(context);
    });
}
