using System.IO.Hashing;
using System.Text;

namespace OrleansWg.Grains.Servers;

/// <summary>
/// A server's containers, cut by user into shards that are each a grain state of their own: a
/// connect writes its user's shard (a sixteenth of the server's peers), not every peer of the server.
/// </summary>
public sealed class ContainerShards
{
    /// <summary>Fixed: a user's shard follows from it, and the shards are stored under their number.</summary>
    public const int Count = 16;

    private readonly IPersistentState<ContainerShard>[] shards;

    public ContainerShards(IPersistentStateFactory factory, IGrainContext grain) =>
        shards = [.. Enumerable.Range(0, Count).Select(index => factory.Create<ContainerShard>(grain, new ShardState($"server-shard-{index}")))];

    /// <summary>How many changes the shards have been written with: part of the server's revision.</summary>
    public long Revision => shards.Sum(shard => shard.State.Revision);

    public IEnumerable<KeyValuePair<string, UserContainer>> All => shards.SelectMany(shard => shard.State.Containers);

    public int PeerCount => shards.Sum(shard => shard.State.Containers.Values.Sum(container => container.Peers.Count));

    public UserContainer? Find(string user) => ShardOf(user).State.Containers.GetValueOrDefault(user);

    public void Set(string user, UserContainer container) => ShardOf(user).State.Containers[user] = container;

    public void Remove(string user) => ShardOf(user).State.Containers.Remove(user);

    /// <summary>Writes the shards that hold <paramref name="users"/>, each one revision further.</summary>
    public Task WriteAsync(params IEnumerable<string> users) =>
        Task.WhenAll(users.Select(ShardOf).Distinct().Select(shard =>
        {
            shard.State.Revision++;
            return shard.WriteStateAsync();
        }));

    private IPersistentState<ContainerShard> ShardOf(string user) => shards[XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(user)) % Count];

    private sealed record ShardState(string StateName) : IPersistentStateConfiguration
    {
        public string StorageName => StorageNames.Default;
    }
}

/// <summary>The containers of the users whose names hash to one shard.</summary>
[GenerateSerializer, Alias("owg.ContainerShard")]
public sealed record ContainerShard
{
    [Id(0)] public Dictionary<string, UserContainer> Containers { get; set; } = [];

    [Id(1)] public long Revision { get; set; }
}
