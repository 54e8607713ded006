namespace OrleansWg;

/// <summary>A rate cap for each of a session's directions, in Mbit/s; null: that direction is not limited.</summary>
/// <param name="DownMbps">Towards the client: what the client downloads.</param>
/// <param name="UpMbps">From the client: what the client uploads.</param>
[GenerateSerializer, Immutable, Alias("owg.BandwidthLimit")]
public sealed record BandwidthLimit(int? DownMbps, int? UpMbps)
{
    public const int MaxMbps = 100_000;

    /// <summary>The user's cap in each direction where the user has one, else the group's; null when neither limits anything.</summary>
    public static BandwidthLimit? Of(BandwidthLimit? user, BandwidthLimit? group) =>
        OrNull(new BandwidthLimit(user?.DownMbps ?? group?.DownMbps, user?.UpMbps ?? group?.UpMbps));

    /// <returns>null for a limit that limits nothing, else <paramref name="limit"/>.</returns>
    public static BandwidthLimit? OrNull(BandwidthLimit? limit) => limit is { DownMbps: null, UpMbps: null } ? null : limit;
}
