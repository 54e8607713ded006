namespace OrleansWg.NodeHost.WireGuard;

/// <summary>A session container's WireGuard interface, whichever implementation runs it.</summary>
public interface IContainerInterface
{
    /// <summary>What names the interface on this node, for the record of its peers' traffic.</summary>
    string Name { get; }

    Task<WireGuardDevice> GetAsync(CancellationToken cancellationToken);

    Task SetAsync(WireGuardChanges changes, CancellationToken cancellationToken);
}
