using OrleansWg.Gateway.Http;

namespace OrleansWg.Gateway.Admin;

/// <summary>
/// Writes every change an admin asks for to the audit log, once it is answered: the action (the
/// endpoint's name), how it came out, on whom, from where, and who: the account and role of the
/// console login or token it came with.
/// </summary>
public sealed class AdminAudit(IGrainFactory grains, TimeProvider clock) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var http = context.HttpContext;
        if (HttpMethods.IsGet(http.Request.Method) || http.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>() is not { } action)
        {
            return result;
        }

        // A handler that may answer in several ways returns Results<...>, which holds the answer it chose.
        var answer = result is INestedHttpResult nested ? nested.Result : result;
        var status = (answer as IStatusCodeHttpResult)?.StatusCode ?? http.Response.StatusCode;
        var outcome = status switch
        {
            < 300 => "ok",
            StatusCodes.Status400BadRequest => "invalid",
            StatusCodes.Status404NotFound => "not-found",
            StatusCodes.Status409Conflict => "conflict",
            _ => $"{status}",
        };
        var route = http.Request.RouteValues;
        var id = route["id"] as string;
        var onSession = action.EndpointName.EndsWith("-session", StringComparison.Ordinal);
        var onServer = action.EndpointName.EndsWith("-server", StringComparison.Ordinal);
        var onToken = action.EndpointName.EndsWith("-token", StringComparison.Ordinal);
        var actor = AdminActors.Of(http.User);
        Guid? sessionId = onSession && Guid.TryParse(id, out var parsed) ? parsed : null;
        // A session's user, so that the action shows among the user's events.
        var sessionUser = sessionId is { } known ? (await grains.GetGrain<ISessionGrain>(known).Describe())?.User : null;
        await grains.GetGrain<IAuditGrain>(0).Append(new AuditEvent(clock.GetUtcNow(), AuditKinds.AdminPrefix + action.EndpointName, outcome,
            User: Valid(route["name"] as string ?? sessionUser ?? context.Arguments.OfType<CreateUserBody>().FirstOrDefault()?.Username?.ToLowerInvariant()),
            Source: ClientSource.Of(http),
            SessionId: sessionId,
            ServerId: onServer ? Valid(id) : null,
            Detail: string.Join(" ", new[]
            {
                Valid(route["group"] as string) is { } group ? $"group {group}" : null,
                Valid(route["account"] as string ?? context.Arguments.OfType<CreateAccountBody>().FirstOrDefault()?.Name) is { } account ? $"account {account}" : null,
                onToken && ApiTokens.IsId(id) ? $"token {id}" : null,
                (answer as IValueHttpResult)?.Value is IssuedTokenResponse issued ? $"token {issued.About.Id} of {issued.About.Account} ({issued.About.Role})" : null,
                context.Arguments.OfType<RoleBody>().FirstOrDefault()?.Role is { } role ? $"role {role}" : null,
                AdminAuthentication.IsConsoleRequest(http) ? "by console" : $"by token {actor?.TokenId}",
            }.OfType<string>()),
            Actor: actor?.Account,
            ActorRole: actor?.Role.Name()));
        return result;
    }

    /// <summary>A name as asked for, when it is one: an invalid name is what made the request fail.</summary>
    private static string? Valid(string? name) => Names.IsValid(name) ? name : null;
}
