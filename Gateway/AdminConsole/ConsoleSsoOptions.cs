using System.ComponentModel.DataAnnotations;

namespace OrleansWg.Gateway.AdminConsole;

/// <summary>The organisation's OpenID Connect provider for admins' console logins (authorization code with PKCE).</summary>
public sealed class ConsoleSsoOptions : IValidatableObject
{
    public const string Section = "ConsoleSso";

    /// <summary>The provider's issuer URL (https, or http on loopback only); empty: the console has no single sign-on.</summary>
    public string Issuer { get; set; } = "";

    /// <summary>The console's client at the provider (code flow), whose redirect URI is the Gateway's /admin/login/sso/callback.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>The client's secret, from a secret file.</summary>
    public string ClientSecret { get; set; } = "";

    public string Scopes { get; set; } = "openid profile groups";

    /// <summary>The ID token's claim that names the person's account here (taken in lower case).</summary>
    public string AccountClaim { get; set; } = "preferred_username";

    /// <summary>The ID token's claim whose values give the person's role, by <see cref="RoleMap"/>.</summary>
    public string RoleClaim { get; set; } = "groups";

    /// <summary>
    /// Which values of the role claim give which role, each <c>VALUE=ROLE</c> (owner, admin, helpdesk
    /// or auditor); a person with several gets the widest, and one with none cannot log in.
    /// </summary>
    public string[] RoleMap { get; set; } = [];

    public bool Enabled => Issuer.Length > 0;

    /// <returns>The widest role that <paramref name="values"/> give (AdminRole lists the widest first); null: none.</returns>
    public AdminRole? RoleOf(IEnumerable<string> values)
    {
        var roles = ClaimMap.Entries(RoleMap).Select(entry => (Value: entry.From, Role: AdminRoles.Parse(entry.To)))
            .Where(entry => entry.Role is not null && values.Contains(entry.Value)).Select(entry => entry.Role!.Value).ToList();
        return roles.Count == 0 ? null : roles.Min();
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && !(OidcIssuer.IsAllowed(Issuer) && ClientId.Length > 0
            && ClaimMap.Entries(RoleMap).All(entry => AdminRoles.Parse(entry.To) is not (null or AdminRole.Metrics))))
        {
            yield return new ValidationResult(
                "ConsoleSso: Issuer must be an https URL (http only on loopback) with a ClientId, and each RoleMap entry VALUE=ROLE (owner, admin, helpdesk or auditor)",
                [nameof(Issuer)]);
        }
    }
}
