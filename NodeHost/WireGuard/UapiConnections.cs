using System.Collections.Concurrent;

namespace OrleansWg.NodeHost.WireGuard;

/// <summary>
/// One open <see cref="UapiClient"/> per interface socket, kept for the next request. Safe to use
/// from several threads: an interface is also reached outside the convergence lock, while its
/// container comes up.
/// </summary>
public sealed class UapiConnections(TimeSpan timeout) : IDisposable
{
    private readonly ConcurrentDictionary<string, UapiClient> bySocket = [];

    /// <summary>The connection to the interface at <paramref name="socket"/>, opened on the first request.</summary>
    public UapiClient For(string socket) => bySocket.GetOrAdd(socket, path => new UapiClient(path, timeout));

    /// <summary>Closes the connection to <paramref name="socket"/>, if there is one.</summary>
    public void Close(string socket)
    {
        if (bySocket.TryRemove(socket, out var client))
        {
            client.Dispose();
        }
    }

    /// <summary>Closes every connection but those to <paramref name="sockets"/>.</summary>
    public void KeepOnly(IEnumerable<string> sockets)
    {
        foreach (var gone in bySocket.Keys.Except(sockets).ToList())
        {
            Close(gone);
        }
    }

    public void Dispose()
    {
        foreach (var client in bySocket.Values)
        {
            client.Dispose();
        }
    }
}
