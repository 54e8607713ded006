namespace OrleansWg.Grains.Admin;

public sealed class KeyRingGrain([PersistentState("key-ring", StorageNames.Default)] IPersistentState<KeyRingState> state) : Grain, IKeyRingGrain
{
    /// <summary>
    /// The most keys kept. Data Protection makes a key every 90 days and never deletes one (a cookie
    /// of an old key stays readable); past this, the oldest goes, whose cookies ended long ago.
    /// </summary>
    public const int MaxKeys = 100;

    public Task<ImmutableArray<string>> GetAll() => Task.FromResult(state.State.Keys.Select(key => key.Element).ToImmutableArray());

    public async Task Add(string name, string element)
    {
        if (state.State.Keys.Any(key => key.Name == name))
        {
            return;
        }

        state.State.Keys.Add(new KeyRingEntry(name, element));
        if (state.State.Keys.Count > MaxKeys)
        {
            state.State.Keys.RemoveAt(0);
        }

        await state.WriteStateAsync();
    }
}

[GenerateSerializer, Alias("owg.KeyRingState")]
public sealed class KeyRingState
{
    [Id(0)] public List<KeyRingEntry> Keys { get; set; } = [];
}

[GenerateSerializer, Immutable, Alias("owg.KeyRingEntry")]
public sealed record KeyRingEntry([property: Id(0)] string Name, [property: Id(1)] string Element);
