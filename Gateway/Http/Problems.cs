using Microsoft.AspNetCore.Http.HttpResults;

namespace OrleansWg.Gateway.Http;

/// <summary>Every error the API returns is a ProblemDetails with a status and a one-line detail.</summary>
public static class Problems
{
    /// <param name="extensions">Members beside the standard ones, such as <c>code</c>: a stable name of the failure for programs.</param>
    public static ProblemHttpResult Of(int status, string detail, Dictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, extensions: extensions);

    public static ProblemHttpResult NotFound(string what) => Of(StatusCodes.Status404NotFound, $"{what} does not exist");

    public static ProblemHttpResult Unauthorized(HttpContext context, string detail)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Of(StatusCodes.Status401Unauthorized, detail);
    }
}
