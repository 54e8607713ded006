using OrleansWg.Grains.Servers;

namespace OrleansWg.Grains.Users;

public sealed class UserDirectoryGrain(
    [PersistentState("users", StorageNames.Default)] IPersistentState<SortedSet<string>> users,
    [PersistentState("address-blocks", StorageNames.Default)] IPersistentState<Dictionary<string, int>> blocks,
    IOptions<UserOptions> options)
    : Grain, IUserDirectoryGrain
{
    public async Task Add(string user)
    {
        if (users.State.Add(user))
        {
            await users.WriteStateAsync();
        }
    }

    public async Task Remove(string user)
    {
        if (users.State.Remove(user))
        {
            await users.WriteStateAsync();
        }

        if (blocks.State.Remove(user))
        {
            await blocks.WriteStateAsync();
        }
    }

    public Task<ImmutableArray<string>> List() => Task.FromResult(users.State.ToImmutableArray());

    public async Task<int?> AddressBlock(string user)
    {
        if (blocks.State.TryGetValue(user, out var block))
        {
            return block;
        }

        if (new TunnelAddressPool(options.Value.TunnelPool).FreeSubnet(blocks.State.Values) is not { } free)
        {
            return null;
        }

        blocks.State[user] = free;
        await blocks.WriteStateAsync();
        return free;
    }
}
