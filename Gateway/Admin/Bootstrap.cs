using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OrleansWg.Gateway.Http;

namespace OrleansWg.Gateway.Admin;

/// <summary>
/// How a fresh installation gets its first owner: whoever holds the bootstrap secret
/// (<see cref="GatewayOptions.BootstrapToken"/>, a file the installer made) names the owner and
/// their password, once. After that the secret opens nothing: every admin has an account.
/// </summary>
public static class Bootstrap
{
    public const string Path = "/v1/bootstrap";

    public enum Outcome
    {
        Made,
        WrongSecret,
        /// <summary>The first owner was made before: the secret works once.</summary>
        DoneAlready,
    }

    public static IEndpointRouteBuilder MapBootstrap(this IEndpointRouteBuilder routes)
    {
        routes.MapPost(Path, Api).Validates<BootstrapBody>().RequireRateLimiting(RateLimits.Bootstrap)
            .WithSummary("Makes the first owner, with the bootstrap secret as the bearer token; works once. Answers an owner's token, of the longest lifetime, for the installer's scripts.");
        return routes;
    }

    /// <summary>Makes the first owner when <paramref name="secret"/> is the bootstrap secret and none was made before; audits every try.</summary>
    public static async Task<Outcome> MakeFirstOwner(HttpContext context, string? secret, string name, string password)
    {
        var services = context.RequestServices;
        var grains = services.GetRequiredService<IGrainFactory>();
        var outcome = !SecretComparison.Matches([services.GetRequiredService<IOptions<GatewayOptions>>().Value.BootstrapToken], secret ?? "")
            ? Outcome.WrongSecret
            : await grains.GetGrain<IAdminAccountsGrain>(0).Bootstrap(name, password) ? Outcome.Made : Outcome.DoneAlready;
        await grains.GetGrain<IAuditGrain>(0).Append(new AuditEvent(services.GetRequiredService<TimeProvider>().GetUtcNow(),
            AuditKinds.AdminPrefix + "bootstrap", outcome switch { Outcome.Made => "ok", Outcome.WrongSecret => "wrong-secret", _ => "done-already" },
            Source: ClientSource.Of(context), Actor: outcome == Outcome.Made ? name : null, ActorRole: outcome == Outcome.Made ? AdminRole.Owner.Name() : null));
        return outcome;
    }

    private static async Task<Results<Created<IssuedTokenResponse>, ProblemHttpResult>> Api(
        BootstrapBody body, HttpContext context, IGrainFactory grains, TimeProvider clock)
    {
        switch (await MakeFirstOwner(context, AuthorizationHeader.Credentials(context, "Bearer"), body.Name!, body.Password!))
        {
            case Outcome.WrongSecret:
                return Problems.Unauthorized(context, "the bootstrap secret is missing or wrong");
            case Outcome.DoneAlready:
                return Problems.Of(StatusCodes.Status409Conflict, "this installation has its first owner already: log in with an account");
        }

        // As long as the owner lets a token live: the installer's scripts keep it to make servers.
        var accounts = grains.GetGrain<IAdminAccountsGrain>(0);
        var issued = await accounts.IssueToken(
            new ApiTokenRequest(body.Name!, AdminRole.Owner, "bootstrap", clock.GetUtcNow() + (await accounts.GetSettings()).MaxTokenLifetime));
        return TypedResults.Created($"/v1/admin/tokens/{issued.View!.Id}", new IssuedTokenResponse(issued.Token!, TokenResponse.From(issued.View)));
    }
}
