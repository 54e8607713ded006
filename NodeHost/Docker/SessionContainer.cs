namespace OrleansWg.NodeHost.Docker;

/// <summary>A container of this node, as Docker lists it.</summary>
/// <param name="User">Whose it is; null for a warm container and for a stray one.</param>
/// <param name="Port">The host UDP port its interface is published on.</param>
/// <param name="UapiDirectory">The host directory bind-mounted on the container's /run/wireguard.</param>
/// <param name="Starting">Created, and being brought up outside the convergence lock: neither a stray nor ready to claim.</param>
/// <param name="Lost">Its host directory is gone (the node's state directory was moved or wiped): the node cannot reach its interface.</param>
public sealed record SessionContainer(
    string Id, string Name, string? User, bool IsWarm, int Port, string UapiDirectory, bool Running, bool Starting = false, bool Lost = false)
{
    public bool IsClaimable => IsWarm && Running && !Starting;

    public string UapiSocket => Path.Combine(UapiDirectory, "wg0.sock");
}
