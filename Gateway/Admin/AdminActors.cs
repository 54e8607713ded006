using System.Security.Claims;

namespace OrleansWg.Gateway.Admin;

/// <summary>The claims that say who makes an admin request: the account, its role, and the token if it came with one.</summary>
public static class AdminActors
{
    private const string TokenClaim = "owg:token";

    public static ClaimsIdentity Identity(AdminActor actor, string scheme, params Claim[] more) => new(
        [
            new Claim(ClaimTypes.Name, actor.Account),
            new Claim(ClaimTypes.Role, actor.Role.Name()),
            .. actor.TokenId is { } id ? [new Claim(TokenClaim, id)] : Array.Empty<Claim>(),
            .. more,
        ],
        scheme);

    /// <returns>Who made the request, or null when nobody logged in.</returns>
    public static AdminActor? Of(ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true, Name: { } account } && AdminRoles.Parse(user.FindFirstValue(ClaimTypes.Role)) is { } role
            ? new AdminActor(account, role, user.FindFirstValue(TokenClaim))
            : null;
}
