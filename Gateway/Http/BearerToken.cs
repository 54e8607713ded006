namespace OrleansWg.Gateway.Http;

public static class BearerToken
{
    /// <returns>The token of an "Authorization: Bearer ..." header, or null.</returns>
    public static string? From(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        const string Prefix = "Bearer ";
        return header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && header.Length > Prefix.Length
            ? header[Prefix.Length..].Trim()
            : null;
    }
}
