using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace OrleansWg.Gateway.Http;

/// <summary>
/// A request the endpoint cannot bind (no body, a body that is not JSON, a field of the wrong type):
/// its own status, with a ProblemDetails that names the field where JSON says which, rather than a
/// bare "Bad Request". Bodies too large are answered before (<see cref="BodySizeLimits"/>).
/// </summary>
public sealed class UnreadableBodyHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException unreadable)
        {
            return false;
        }

        context.Response.StatusCode = unreadable.StatusCode;
        // ASP.NET Core's own messages name parameter types and speak to the API's developers.
        var problem = unreadable switch
        {
            { InnerException: JsonException { Path: ['$', '.', .. var field] } } =>
                new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = ["a value of the wrong JSON type"] }),
            _ => new ProblemDetails { Detail = "the body is missing or is not the JSON object this endpoint takes" },
        };
        problem.Status = unreadable.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }
}
