using Microsoft.AspNetCore.Http.HttpResults;

namespace OrleansWg.Gateway.Http;

/// <summary>Every error the API returns is a ProblemDetails with a status and a one-line detail.</summary>
public static class Problems
{
    public static ProblemHttpResult Of(int status, string detail) => TypedResults.Problem(detail: detail, statusCode: status);

    public static ProblemHttpResult NotFound(string what) => Of(StatusCodes.Status404NotFound, $"{what} does not exist");

    /// <param name="challenges">One WWW-Authenticate header each: browsers do not read several schemes from one header.</param>
    public static ProblemHttpResult Unauthorized(HttpContext context, string detail, params string[] challenges)
    {
        context.Response.Headers.WWWAuthenticate = challenges.Length == 0 ? new("Bearer") : new(challenges);
        return Of(StatusCodes.Status401Unauthorized, detail);
    }
}
