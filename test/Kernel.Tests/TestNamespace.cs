namespace OrleansWg.Kernel.Tests;

/// <summary>A network namespace of the test's own, deleted with everything in it when the test ends.</summary>
public sealed class TestNamespace : IAsyncDisposable
{
    private TestNamespace(string name) => Name = name;

    public string Name { get; }

    public string Path => $"/run/netns/{Name}";

    public static async Task<TestNamespace> CreateAsync()
    {
        var name = $"owgk-{Guid.NewGuid():N}"[..13];
        await Command.RunAsync("ip", $"netns add {name}");
        await Command.RunAsync("ip", $"-n {name} link set lo up");
        return new TestNamespace(name);
    }

    /// <summary>Runs a tool inside the namespace.</summary>
    public Task<string> RunAsync(string command, TimeSpan? timeout = null) => Command.RunAsync("ip", $"netns exec {Name} {command}", timeout);

    public async ValueTask DisposeAsync() => await Command.TryAsync("ip", $"netns del {Name}");
}
