namespace OrleansWg;

/// <summary>The names of all users, for the admin API. Singleton: key 0.</summary>
[Alias("owg.IUserDirectoryGrain")]
public interface IUserDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("Add")] Task Add(string user);

    [Alias("Remove")] Task Remove(string user);

    [Alias("List")] Task<ImmutableArray<string>> List();
}
