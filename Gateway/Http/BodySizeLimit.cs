using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace OrleansWg.Gateway.Http;

/// <summary>
/// The largest request body an endpoint reads. Every endpoint has one (<see cref="Default"/> unless
/// it says otherwise): a body that says it is larger is answered 413 before anything reads it, and
/// one that does not say how large it is is read first and answered 413 past it.
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

        if (context.Request.ContentLength is null && context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: true }
            && !await BodyFitsAsync(context.Request))
        {
            await Problems.Of(StatusCodes.Status413PayloadTooLarge, $"the request body may be at most {limit} bytes").ExecuteAsync(context);
            return;
        }

        await next(context);
    });

    /// <summary>
    /// Reads a body of unknown length (chunked, or HTTP/2 without content-length) into a buffer, so
    /// that Kestrel's cut-off at the limit is met here: met inside System.Text.Json's reader over
    /// HTTP/2, it surfaces as an InvalidOperationException and a 500.
    /// </summary>
    private static async Task<bool> BodyFitsAsync(HttpRequest request)
    {
        request.EnableBuffering();
        try
        {
            await request.Body.CopyToAsync(Stream.Null, request.HttpContext.RequestAborted);
        }
        catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return false;
        }

        request.Body.Position = 0;
        return true;
    }
}
