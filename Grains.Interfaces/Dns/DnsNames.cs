using System.Net;
using System.Text.RegularExpressions;

namespace OrleansWg;

/// <summary>
/// The forms a DNS policy's entries take: domain names (letters, digits and hyphens in labels of at
/// most 63, at most 253 in all, lower case, no trailing dot), IP addresses and CIDRs.
/// </summary>
public static partial class DnsNames
{
    public const int MaxNameLength = 253;

    /// <returns><paramref name="name"/> in its one written form (lower case, without a final dot), or null when it is not a domain name.</returns>
    public static string? Normalize(string? name)
    {
        var normal = name?.Trim().TrimEnd('.').ToLowerInvariant();
        return normal is { Length: > 0 and <= MaxNameLength } && Domain().IsMatch(normal) ? normal : null;
    }

    public static bool IsAddress(string? text) => IPAddress.TryParse(text, out var address) && address.ToString() == text;

    /// <returns>
    /// <paramref name="text"/> as a CIDR in its written form, or null when it is not one whose address is the
    /// network's own (198.18.0.5/15 is refused rather than read as 198.18.0.0/15: the admin meant something).
    /// </returns>
    public static string? NormalizeCidr(string? text) =>
        text?.Trim().Split('/') is [var address, _] && IPNetwork.TryParse(text.Trim(), out var network)
        && IPAddress.TryParse(address, out var given) && given.Equals(network.BaseAddress)
            ? network.ToString()
            : null;

    [GeneratedRegex(@"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?))*$")]
    private static partial Regex Domain();
}
