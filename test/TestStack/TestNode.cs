namespace OrleansWg.TestStack;

/// <summary>One NodeHost of a test plane: its server id, public address, Docker network, UDP ports and host state.</summary>
public sealed record TestNode(string ServerId, string PublicAddress, string ContainerSubnet, int PortMin, int Ports = 1000)
{
    public int PortMax => PortMin + Ports - 1;

    /// <summary>Node <paramref name="number"/> (from 1) of a plane: a /24 and 1,000 ports, or for a thousand containers a /20 and 2,000.</summary>
    public static TestNode Numbered(string serverId, int number, bool large) => large
        ? new(serverId, $"198.18.5.{number}", $"198.18.{64 + 16 * number}.0/20", 36000 + 2000 * number, Ports: 2000)
        : new(serverId, $"198.18.5.{number}", $"198.18.{63 + number}.0/24", 50000 + 1000 * number);

    /// <summary>Apart for each address: another plane's node of the same server id has its own.</summary>
    public string StateDirectory => $"/var/lib/orleanswg/test-nodes/{ServerId}-{PublicAddress}";
}
