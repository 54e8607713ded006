namespace OrleansWg;

/// <summary>A group of servers, keyed by its name: the bandwidth limit of sessions on its servers whose user has none of their own.</summary>
[Alias("owg.IServerGroupGrain")]
public interface IServerGroupGrain : IGrainWithStringKey
{
    /// <summary>A read that may interleave: a server asks it when the group tells it of a change, while the group waits on that server.</summary>
    [Alias("GetLimit"), AlwaysInterleave] Task<BandwidthLimit?> GetLimit();

    /// <summary>Sets the group's limit (null: none) and has the group's servers apply it to their live sessions.</summary>
    [Alias("SetLimit")] Task SetLimit(BandwidthLimit? limit);
}
