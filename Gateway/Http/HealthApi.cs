using Microsoft.AspNetCore.Http.HttpResults;
using OrleansWg.Hosting;

namespace OrleansWg.Gateway.Http;

public static class HealthApi
{
    private static readonly TimeSpan ClusterTimeout = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/healthz", Check).WithSummary("200 with the product's version when the Gateway can reach the cluster.");
        return routes;
    }

    private static async Task<Results<Ok<HealthResponse>, ProblemHttpResult>> Check(IGrainFactory grains, HttpContext context)
    {
        try
        {
            await grains.GetGrain<IServerDirectoryGrain>(0).List().WaitAsync(ClusterTimeout);
            return TypedResults.Ok(new HealthResponse("ok", ProductVersion.Current));
        }
        catch (Exception exception) when (ClusterFaults.IsUnavailable(exception))
        {
            context.Response.Headers.RetryAfter = ClusterUnavailableHandler.RetryAfterSeconds.ToString();
            return Problems.Of(StatusCodes.Status503ServiceUnavailable, "the cluster does not answer");
        }
    }
}

/// <param name="Version">The Gateway's version, which the whole installation shares.</param>
public sealed record HealthResponse(string Status, string Version);
