using System.Globalization;

namespace OrleansWg.NodeHost.Docker;

/// <summary>
/// The UDP ports something on the node's host already listens on, from the kernel's socket tables.
/// A user's port must be free on every address of the host: the kernel's WireGuard binds it on all
/// of them, and Docker publishes it on the node's address, which a listener on all addresses holds.
/// </summary>
public static class HostUdpPorts
{
    private static readonly string[] Tables = ["/proc/net/udp", "/proc/net/udp6"];

    /// <summary>The ports bound in the host's network namespace, the node's own sockets among them.</summary>
    public static IReadOnlySet<int> Bound()
    {
        var ports = new HashSet<int>();
        foreach (var table in Tables.Where(File.Exists))
        {
            ports.UnionWith(Parse(File.ReadLines(table)));
        }

        return ports;
    }

    /// <summary>The local ports of a table's lines (after its header): "sl local_address ...", the address as HEX-IP:HEX-PORT.</summary>
    public static IEnumerable<int> Parse(IEnumerable<string> table)
    {
        foreach (var line in table.Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var colon = fields.Length > 1 ? fields[1].LastIndexOf(':') : -1;
            if (colon > 0 && int.TryParse(fields[1].AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var port))
            {
                yield return port;
            }
        }
    }
}
