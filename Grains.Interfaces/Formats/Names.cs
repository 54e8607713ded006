using System.Text.RegularExpressions;

namespace OrleansWg;

/// <summary>
/// User names and server ids become container names, interface names and grain keys:
/// lower-case letters, digits, '-' and '_', starting with a letter or digit, at most 32.
/// </summary>
public static partial class Names
{
    public const string Pattern = "^[a-z0-9][a-z0-9_-]{0,31}$";

    public static bool IsValid(string? name) => name is not null && Regex().IsMatch(name);

    [GeneratedRegex(Pattern)]
    private static partial Regex Regex();
}
