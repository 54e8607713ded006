using Microsoft.AspNetCore.Http.HttpResults;
using OrleansWg.Gateway.Http;

namespace OrleansWg.Gateway.Admin;

/// <summary>
/// What an account does for itself: its API tokens (each lists, makes and revokes its own, of a
/// role its own covers; the owner does so for every account, services' included), its password,
/// and who it is.
/// </summary>
public static class TokensApi
{
    public static RouteGroupBuilder MapTokensApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/me", (HttpContext context) =>
            {
                var me = AdminActors.Of(context.User)!;
                return TypedResults.Ok(new MeResponse(me.Account, me.Role.Name(), me.TokenId,
                    [.. Enum.GetValues<AdminPermission>().Where(permission => me.Role.Has(permission)).Select(permission => permission.ToString())]));
            })
            .WithSummary("Who the caller is: the account, the role of its login or token, and what that role may do.");
        admin.MapPut("/me/password", ChangePassword).Validates<OwnPasswordBody>().RequirePermission(AdminPermission.ManageOwnAccount)
            .RequireRateLimiting(RateLimits.Login)
            .WithName("change-own-password").WithSummary("A person sets their own password, giving the one they have; their console logins end.");
        var tokens = admin.MapGroup("/tokens").RequirePermission(AdminPermission.ManageOwnAccount);
        tokens.MapGet("", List).WithSummary("The caller's tokens, revoked and expired ones for a while too; the owner's: every account's, or account's.");
        tokens.MapPost("", Create).Validates<CreateTokenBody>().WithName("create-token")
            .WithSummary("Makes a token, of a role the caller's covers (its own when not given), expiring in 90 days unless given; the answer holds it, once.");
        tokens.MapDelete("/{id}", Revoke).WithName("revoke-token").WithSummary("Revokes the token: every Gateway refuses it from now on.");
        return admin;
    }

    private static IAdminAccountsGrain Accounts(IGrainFactory grains) => grains.GetGrain<IAdminAccountsGrain>(0);

    private static async Task<Results<Ok<TokenResponse[]>, ProblemHttpResult>> List(HttpContext context, IGrainFactory grains, string? account)
    {
        var me = AdminActors.Of(context.User)!;
        if (account is not null && account != me.Account && !me.Role.Has(AdminPermission.ManageAccounts))
        {
            return Problems.Of(StatusCodes.Status403Forbidden, "only the owner lists other accounts' tokens");
        }

        var whose = me.Role.Has(AdminPermission.ManageAccounts) ? account : me.Account;
        return TypedResults.Ok((await Accounts(grains).ListTokens(whose)).Select(TokenResponse.From).ToArray());
    }

    private static async Task<Results<Created<IssuedTokenResponse>, ValidationProblem, ProblemHttpResult>> Create(
        CreateTokenBody body, HttpContext context, IGrainFactory grains, TimeProvider clock)
    {
        var me = AdminActors.Of(context.User)!;
        var account = body.Account ?? me.Account;
        var role = body.Role is null ? me.Role : AdminRoles.Parse(body.Role)!.Value;
        if (account != me.Account && !me.Role.Has(AdminPermission.ManageAccounts))
        {
            return Problems.Of(StatusCodes.Status403Forbidden, "only the owner makes tokens for other accounts");
        }

        if (!me.Role.Covers(role))
        {
            return Problems.Of(StatusCodes.Status403Forbidden, $"a {me.Role.Name()} may not make a token of role {role.Name()}");
        }

        // A token made with a token ends when its maker does at the latest: revoking a leaked token
        // leaves none it made working for longer.
        var expires = body.Expires ?? clock.GetUtcNow() + CreateTokenBody.DefaultLifetime;
        if (me.TokenId is { } maker && await Accounts(grains).GetToken(maker) is { } making && expires > making.Expires)
        {
            return Invalid("expires", $"no later than the token that makes it, which expires at {making.Expires:O}");
        }

        var issued = await Accounts(grains).IssueToken(new ApiTokenRequest(account, role, body.Name!, expires));
        return issued.Outcome switch
        {
            ApiTokenIssueOutcome.Issued => TypedResults.Created($"/v1/admin/tokens/{issued.View!.Id}", new IssuedTokenResponse(issued.Token!, TokenResponse.From(issued.View))),
            ApiTokenIssueOutcome.UnknownAccount => Problems.NotFound($"account '{account}'"),
            ApiTokenIssueOutcome.RoleNotCovered => Invalid("role", $"account '{account}' is a {(await Accounts(grains).GetAccount(account))?.Role.Name()}: its role does not cover {role.Name()}"),
            ApiTokenIssueOutcome.ExpiryOutOfRange => Invalid("expires", $"a time in the future, no further ahead than the owner's maximum of {(await Accounts(grains).GetSettings()).MaxTokenLifetime.TotalDays} days"),
            _ => Problems.Of(StatusCodes.Status409Conflict, "the account or the installation has as many live tokens as it may have: revoke some"),
        };
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Revoke(string id, HttpContext context, IGrainFactory grains)
    {
        var me = AdminActors.Of(context.User)!;
        var accounts = Accounts(grains);
        if (!ApiTokens.IsId(id) || await accounts.GetToken(id) is not { } token
            || (token.Account != me.Account && !me.Role.Has(AdminPermission.ManageAccounts)))
        {
            return Problems.NotFound($"token '{id}'");
        }

        await accounts.RevokeToken(id);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ValidationProblem>> ChangePassword(OwnPasswordBody body, HttpContext context, IGrainFactory grains) =>
        await Accounts(grains).ChangeOwnPassword(AdminActors.Of(context.User)!.Account, body.CurrentPassword!, body.Password!)
            ? TypedResults.NoContent()
            : Invalid("currentPassword", "not your password (a service account has none)");

    private static ValidationProblem Invalid(string field, string message) => TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
}
