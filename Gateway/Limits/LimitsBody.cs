using OrleansWg.Gateway.Http;

namespace OrleansWg.Gateway.Limits;

/// <param name="DownMbps">Towards the client (its downloads), in Mbit/s; null: not limited.</param>
/// <param name="UpMbps">From the client (its uploads), in Mbit/s; null: not limited.</param>
public sealed record LimitsBody(int? DownMbps, int? UpMbps) : IValidatable
{
    private static readonly string Range = $"from 1 to {BandwidthLimit.MaxMbps} Mbit/s, or null for no limit";

    public Validation Validate() => new Validation()
        .Check(DownMbps is null or (>= 1 and <= BandwidthLimit.MaxMbps), "downMbps", Range)
        .Check(UpMbps is null or (>= 1 and <= BandwidthLimit.MaxMbps), "upMbps", Range);

    public BandwidthLimit ToLimit() => new(DownMbps, UpMbps);

    public static LimitsBody From(BandwidthLimit? limit) => new(limit?.DownMbps, limit?.UpMbps);
}
