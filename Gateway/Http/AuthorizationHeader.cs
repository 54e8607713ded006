namespace OrleansWg.Gateway.Http;

public static class AuthorizationHeader
{
    /// <returns>What follows <paramref name="scheme"/> in an "Authorization: {scheme} ..." header, or null.</returns>
    public static string? Credentials(HttpContext context, string scheme)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var prefix = scheme + " ";
        return header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && header.Length > prefix.Length
            ? header[prefix.Length..].Trim()
            : null;
    }
}
