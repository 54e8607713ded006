namespace OrleansWg.TestStack;

/// <summary>One NodeHost of a test plane: its server id, public address, Docker network and host state.</summary>
public sealed record TestNode(string ServerId, string PublicAddress, string ContainerSubnet)
{
    public string StateDirectory => $"/var/lib/orleanswg/test-nodes/{ServerId}";
}
