using Microsoft.AspNetCore.Diagnostics;

namespace OrleansWg.Gateway.Http;

/// <summary>Turns a control plane that cannot answer into 503 with Retry-After, for every endpoint.</summary>
public sealed class ClusterUnavailableHandler(IProblemDetailsService problems, ILogger<ClusterUnavailableHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 2;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!ClusterFaults.IsUnavailable(exception))
        {
            return false;
        }

        logger.LogWarning(exception, "The cluster did not answer {Method} {Path} (trace {TraceId})",
            context.Request.Method, context.Request.Path.Value, context.TraceIdentifier);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString();
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Detail = "the control plane cannot answer right now; try again shortly",
            },
        });
    }
}
