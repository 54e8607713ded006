namespace OrleansWg.TestStack;

/// <summary>One NodeHost of a test plane: its server id, public address, Docker network, UDP ports and host state.</summary>
public sealed record TestNode(string ServerId, string PublicAddress, string ContainerSubnet, int PortMin)
{
    public int PortMax => PortMin + 999;

    public string StateDirectory => $"/var/lib/orleanswg/test-nodes/{ServerId}";
}
