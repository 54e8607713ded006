namespace OrleansWg;

/// <summary>The names of all users, for the admin API. Singleton: key 0.</summary>
[Alias("owg.IUserDirectoryGrain")]
[Version(1)]
public interface IUserDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("Add")] Task Add(string user);

    [Alias("Remove")] Task Remove(string user);

    [Alias("List")] Task<ImmutableArray<string>> List();

    /// <summary>
    /// The user's block of the cluster's tunnel pool (a /24 by index), given on first use and kept
    /// until the user is removed: no two users ever share one.
    /// </summary>
    /// <returns>null when the pool has no free block.</returns>
    [Alias("AddressBlock")] Task<int?> AddressBlock(string user);
}
