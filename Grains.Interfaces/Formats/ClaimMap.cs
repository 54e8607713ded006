namespace OrleansWg;

/// <summary>
/// A setting that maps what an identity provider says to something here, one <c>FROM=TO</c> an
/// entry (its last '=' splits it, as a provider's value may hold one): single sign-on's group map
/// and the console's role map.
/// </summary>
public static class ClaimMap
{
    /// <returns>Each entry's two sides; an entry without a FROM before its '=' has null for both.</returns>
    public static IEnumerable<(string? From, string? To)> Entries(IEnumerable<string> map) =>
        map.Select(entry => entry.LastIndexOf('=') is var at and > 0 ? (entry[..at], entry[(at + 1)..]) : ((string?)null, (string?)null));
}
