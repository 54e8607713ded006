namespace OrleansWg;

/// <summary>
/// The Gateways' ASP.NET Core Data Protection key ring (the keys that protect the console's cookie
/// and its antiforgery tokens), kept in the cluster: every Gateway reads and protects with the same
/// keys, and a restart keeps them. Each key is one XML element, as Data Protection writes it.
/// </summary>
[Alias("owg.IKeyRingGrain")]
[Version(1)]
public interface IKeyRingGrain : IGrainWithIntegerKey
{
    [Alias("GetAll"), AlwaysInterleave] Task<ImmutableArray<string>> GetAll();

    /// <summary>Adds a key; one already held under <paramref name="name"/> is kept as it is.</summary>
    [Alias("Add")] Task Add(string name, string element);
}
