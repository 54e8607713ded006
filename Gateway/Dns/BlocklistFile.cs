using System.Collections.Immutable;

namespace OrleansWg.Gateway.Dns;

/// <summary>
/// Reads a blocklist file as blocklists are published: one domain a line, or the hosts format
/// (<c>0.0.0.0 ads.example</c>, several names a line); '#' starts a comment, and the hosts files'
/// own names (localhost and the like) are not blocked.
/// </summary>
public static class BlocklistFile
{
    public const int MaxNames = 200_000;

    /// <summary>The file's limit: two hundred thousand names of a usual length, in the hosts format.</summary>
    public const long MaxBytes = 16 * 1024 * 1024;

    private static readonly HashSet<string> HostsOwnNames =
        ["localhost", "localhost.localdomain", "local", "broadcasthost", "ip6-localhost", "ip6-loopback", "ip6-localnet", "ip6-mcastprefix", "ip6-allnodes", "ip6-allrouters", "ip6-allhosts"];

    /// <returns>The names, or the first line that is neither form (1-based) with why.</returns>
    public static (ImmutableArray<string> Names, string? Error) Parse(TextReader reader)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            var words = line.Split('#', 2)[0].Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                continue;
            }

            // The hosts format: an address, then the names it stands for.
            var hosted = words.Length > 1 || DnsNames.IsAddress(words[0]) ? words.Skip(1) : words;
            if (words.Length > 1 && !DnsNames.IsAddress(words[0]))
            {
                return ([], $"line {number}: '{words[0]}' is not an IP address, so the line is not in the hosts format");
            }

            foreach (var word in hosted)
            {
                if (DnsNames.Normalize(word) is not { } name)
                {
                    return ([], $"line {number}: '{Shorten(word)}' is not a domain name");
                }

                if (!HostsOwnNames.Contains(name) && names.Add(name) && names.Count > MaxNames)
                {
                    return ([], $"more than {MaxNames} names");
                }
            }
        }

        return ([.. names.Order(StringComparer.Ordinal)], null);
    }

    private static string Shorten(string word) => word.Length <= 64 ? word : word[..64] + "…";
}
