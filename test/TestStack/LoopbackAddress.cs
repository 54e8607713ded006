namespace OrleansWg.TestStack;

/// <summary>
/// An address on lo (this kernel has no dummy links) for as long as a test needs it: added when
/// missing, and removed again only by the one that added it.
/// </summary>
public sealed class LoopbackAddress : IAsyncDisposable
{
    private readonly string address;
    private readonly bool added;

    private LoopbackAddress(string address, bool added)
    {
        this.address = address;
        this.added = added;
    }

    public static async Task<LoopbackAddress> AddAsync(string address)
    {
        var present = (await Command.Run("ip", "-4", "-o", "addr", "show", "dev", "lo")).Contains($" {address}/");
        if (!present)
        {
            await Command.Run("ip", "addr", "add", $"{address}/32", "dev", "lo");
        }

        return new LoopbackAddress(address, !present);
    }

    /// <summary>Removes the address if this added it; a test that took it away already (a node's machine "died") is no failure.</summary>
    public async ValueTask DisposeAsync()
    {
        if (added)
        {
            await Command.Try("ip", null, "addr", "del", $"{address}/32", "dev", "lo");
        }
    }
}
