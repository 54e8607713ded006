namespace OrleansWg.Grains.Users;

public sealed class UserDirectoryGrain(
    [PersistentState("users", StorageNames.Default)] IPersistentState<SortedSet<string>> users)
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
    }

    public Task<ImmutableArray<string>> List() => Task.FromResult(users.State.ToImmutableArray());
}
