using System.ComponentModel.DataAnnotations;

namespace OrleansWg.Grains.Sso;

/// <summary>The organisation's OpenID Connect provider, for users' single sign-on (<see cref="ISsoGrain"/>).</summary>
public sealed class SsoOptions : IValidatableObject
{
    public const string Section = "Sso";

    /// <summary>The provider's issuer URL (its discovery document is under it); empty: no single sign-on.</summary>
    public string Issuer { get; set; } = "";

    /// <summary>The cluster's client at the provider, allowed the device code and refresh token grants.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>The client's secret, from a secret file.</summary>
    public string ClientSecret { get; set; } = "";

    /// <summary>The scopes asked for: offline_access gives the refresh token the cluster re-checks users with.</summary>
    public string Scopes { get; set; } = "openid profile groups offline_access";

    /// <summary>The ID token's claim that names the user here: a user name (1-32 of a-z 0-9 - _; taken in lower case).</summary>
    public string UserNameClaim { get; set; } = "preferred_username";

    /// <summary>The ID token's claim that lists the user's groups at the provider.</summary>
    public string GroupsClaim { get; set; } = "groups";

    /// <summary>
    /// Which of the provider's groups give which server group, each <c>PROVIDER_GROUP=SERVER_GROUP</c>.
    /// A user's groups are those their provider groups map to, set anew at every login and re-check;
    /// a provider group not here gives none, and a user with none is in the generic pool.
    /// </summary>
    public string[] GroupMap { get; set; } = [];

    /// <summary>How often the cluster asks the provider, with the user's refresh token, whether a user with live sessions may still connect: their sessions end within about this long after the provider stops them.</summary>
    public TimeSpan RecheckPeriod { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the grant of a single sign-on connects its user in place of a password.</summary>
    public TimeSpan GrantLifetime { get; set; } = TimeSpan.FromMinutes(5);

    public bool Enabled => Issuer.Length > 0;

    /// <returns>The server groups that <paramref name="providerGroups"/> map to, each once, in order.</returns>
    public ImmutableArray<string> ServerGroups(IEnumerable<string> providerGroups)
    {
        var map = ClaimMap.Entries(GroupMap).Where(entry => entry.From is not null).ToLookup(entry => entry.From!, entry => entry.To!);
        return [.. providerGroups.SelectMany(group => map[group]).Distinct()];
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && !(OidcIssuer.IsAllowed(Issuer) && ClientId.Length > 0 && RecheckPeriod > TimeSpan.Zero && GrantLifetime > TimeSpan.Zero
            && ClaimMap.Entries(GroupMap).All(entry => Names.IsValid(entry.To))))
        {
            yield return new ValidationResult(
                "Sso: Issuer must be an https URL (http only on loopback) with a ClientId, periods positive, and each GroupMap entry PROVIDER_GROUP=SERVER_GROUP",
                [nameof(Issuer)]);
        }
    }
}
