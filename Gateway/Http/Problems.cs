using Microsoft.AspNetCore.Http.HttpResults;

namespace OrleansWg.Gateway.Http;

/// <summary>Every error the API returns is a ProblemDetails with a status and a one-line detail.</summary>
public static class Problems
{
    public static ProblemHttpResult Of(int status, string detail) => TypedResults.Problem(detail: detail, statusCode: status);

    public static ProblemHttpResult NotFound(string what) => Of(StatusCodes.Status404NotFound, $"{what} does not exist");

    public static ProblemHttpResult Unauthorized(HttpContext context, string detail, string challenge = "Bearer")
    {
        context.Response.Headers.WWWAuthenticate = challenge;
        return Of(StatusCodes.Status401Unauthorized, detail);
    }
}
