using Microsoft.AspNetCore.Http.HttpResults;

namespace OrleansWg.Gateway.Http;

/// <summary>Every error the API returns is a ProblemDetails with a status and a one-line detail.</summary>
public static class Problems
{
    /// <param name="code">A stable name of the failure for programs (the <c>code</c> member), where one status has several causes.</param>
    public static ProblemHttpResult Of(int status, string detail, string? code = null) =>
        TypedResults.Problem(detail: detail, statusCode: status,
            extensions: code is null ? null : new Dictionary<string, object?> { ["code"] = code });

    public static ProblemHttpResult NotFound(string what) => Of(StatusCodes.Status404NotFound, $"{what} does not exist");

    public static ProblemHttpResult Unauthorized(HttpContext context, string detail)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Of(StatusCodes.Status401Unauthorized, detail);
    }
}
