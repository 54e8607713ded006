using System.Text.RegularExpressions;

namespace OrleansWg.Gateway.Connect;

/// <summary>The connect's Idempotency-Key header: a retry that sends the same key comes to the same session.</summary>
public static partial class IdempotencyKey
{
    public const string Header = "Idempotency-Key";

    public const string Format = "1 to 64 letters, digits, '-', '_', '.' or ':'";

    /// <returns>The client's key; a fresh one when it sent none; null when the one it sent is not valid.</returns>
    public static string? Of(HttpContext context)
    {
        var sent = context.Request.Headers[Header];
        if (sent.Count == 0)
        {
            return Guid.NewGuid().ToString("N");
        }

        return sent.Count == 1 && KeyPattern().IsMatch(sent[0]!) ? sent[0] : null;
    }

    [GeneratedRegex("^[A-Za-z0-9_.:-]{1,64}$")]
    private static partial Regex KeyPattern();
}
