namespace OrleansWg;

/// <summary>The URL of an OpenID Connect provider the cluster may be a client of.</summary>
public static class OidcIssuer
{
    /// <summary>https, or plain http to a provider on this host's loopback only (as in tests): tokens and secrets never cross a network in the clear.</summary>
    public static bool IsAllowed(string issuer) =>
        Uri.TryCreate(issuer, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback));
}
