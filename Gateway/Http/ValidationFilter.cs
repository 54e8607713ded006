namespace OrleansWg.Gateway.Http;

/// <summary>Answers 400 with a ValidationProblem before the handler runs, when the body is not valid.</summary>
public sealed class ValidationFilter<T> : IEndpointFilter
    where T : IValidatable
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        // A body of JSON null binds as null, not as a body with nothing in it.
        var validation = context.Arguments.OfType<T>().SingleOrDefault() is { } body
            ? body.Validate()
            : new Validation().Check(false, "body", "a JSON object is required");
        return validation.IsValid ? await next(context) : TypedResults.ValidationProblem(validation.Errors);
    }
}

public static class ValidationFilterExtensions
{
    public static RouteHandlerBuilder Validates<T>(this RouteHandlerBuilder endpoint)
        where T : IValidatable =>
        endpoint.AddEndpointFilter<ValidationFilter<T>>().ProducesValidationProblem();
}
