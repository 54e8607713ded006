using System.Diagnostics;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Options;
using OrleansWg.NodeHost.WireGuard;

namespace OrleansWg.NodeHost.Docker;

/// <summary>
/// This node's session containers and their network, through the Docker Engine API: made, started,
/// claimed, renamed and removed, each entered in the <see cref="ContainerInventory"/>, and each
/// container's interface through the node's <see cref="IWireGuardBackend"/>. Every change to the containers goes through here
/// under the convergence lock, so the inventory is current; a reconcile's
/// <see cref="ReadAsync">reading</see> of Docker finds what was changed behind the node's back. The
/// exceptions, which take no lock: <see cref="BringUpAsync"/>, which only talks to Docker and the
/// new interface, so that a warm container's start does not hold convergences up, and the reading,
/// which takes long at 1,000 containers.
/// </summary>
public sealed class SessionContainers(
    IDockerClient docker, ShimPriority shims, NodeOwner owner, IWireGuardBackend wireGuard, IOptions<NodeOptions> options, ILogger<SessionContainers> logger)
{
    /// <summary>A Linux bridge takes at most 1,023 interfaces, so a node's Docker network at most this many containers.</summary>
    public const int MaxPerNetwork = 1023;

    private readonly ContainerInventory inventory = new();
    private readonly SemaphoreSlim oneNetworkCheckAtATime = new(1, 1);

    // Claimed warm containers that Docker still lists by their warm names.
    private readonly List<SessionContainer> unnamed = [];

    private NodeOptions Node => options.Value;

    private readonly SessionContainerSpec spec = new(owner, options.Value, wireGuard);

    public ContainerNames Names => spec.Names;

    /// <summary>
    /// Makes the node's network unless it exists. One at a time: the warm pool and the first
    /// convergence both ask at start, and a second create of the same subnet is refused.
    /// </summary>
    public async Task EnsureNetworkAsync(CancellationToken cancellationToken)
    {
        await oneNetworkCheckAtATime.WaitAsync(cancellationToken);
        try
        {
            await EnsureNetworkUnlockedAsync(cancellationToken);
        }
        finally
        {
            oneNetworkCheckAtATime.Release();
        }
    }

    private async Task EnsureNetworkUnlockedAsync(CancellationToken cancellationToken)
    {
        var networks = await docker.Networks.ListNetworksAsync(new NetworksListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["name"] = new Dictionary<string, bool> { [Names.Network] = true } },
        }, cancellationToken);
        if (networks.Any(network => network.Name == Names.Network))
        {
            return;
        }

        await docker.Networks.CreateNetworkAsync(new NetworksCreateParameters
        {
            Name = Names.Network,
            Driver = "bridge",
            // The gateway's address is where the node's resolver listens.
            IPAM = new IPAM { Config = [new IPAMConfig { Subnet = Node.ContainerSubnet, Gateway = Node.ResolverAddress }] },
            // One user's container must not reach another's.
            Options = new Dictionary<string, string> { ["com.docker.network.bridge.enable_icc"] = "false" },
            Labels = owner.Labels(),
        }, cancellationToken);
        logger.LogInformation("Created network {Network} on {Subnet}", Names.Network, Node.ContainerSubnet);
    }

    /// <summary>
    /// Reads the node's containers from Docker without the convergence lock, one reading at a time
    /// (the reconcile's); <see cref="ListAsync"/> makes it the inventory.
    /// </summary>
    public async Task<ContainerReading> ReadAsync(CancellationToken cancellationToken)
    {
        var wasLeaving = inventory.BeginReading();
        await EnsureNetworkAsync(cancellationToken);
        return new ContainerReading(await ListDockerAsync(cancellationToken), wasLeaving);
    }

    /// <summary>
    /// The node's containers: the inventory, made from <paramref name="reading"/> when given (the
    /// containers the node changed while it was read are as the inventory has them). A new
    /// inventory lets go of what was held for the interfaces no longer in it.
    /// </summary>
    public async Task<List<SessionContainer>> ListAsync(ContainerReading? reading, CancellationToken cancellationToken)
    {
        List<SessionContainer> present;
        if (reading is not null)
        {
            present = inventory.TakeReading(reading);
        }
        else if (!inventory.IsListed)
        {
            // The node's first listing, under the lock: nothing changes meanwhile.
            await EnsureNetworkAsync(cancellationToken);
            present = inventory.TakeFirstListing(await ListDockerAsync(cancellationToken));
        }
        else
        {
            return inventory.List();
        }

        wireGuard.KeepOnly(present);
        return present;
    }

    public IContainerInterface Interface(SessionContainer container) => wireGuard.Interface(container);

    /// <summary>The port <paramref name="container"/>'s interface listens on in its own namespace.</summary>
    public int ListenPort(SessionContainer container) => wireGuard.ListenPort(container.Port);

    /// <summary>Docker's list of the node's containers, as Docker and the host directories have them.</summary>
    private async Task<List<SessionContainer>> ListDockerAsync(CancellationToken cancellationToken)
    {
        using var span = DockerCall("list");
        var listed = await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = owner.LabelFilter() },
        }, cancellationToken);
        return [.. listed.Select(spec.Read)];
    }

    /// <summary>Creates and starts a container for <paramref name="user"/> (null: a warm one) and waits for its interface.</summary>
    public async Task<SessionContainer> StartAsync(string? user, int port, CancellationToken cancellationToken)
    {
        var created = await CreateAsync(user, port, cancellationToken);
        try
        {
            await BringUpAsync(created, cancellationToken);
        }
        catch
        {
            // Nothing half-made stays behind.
            await RemoveAsync(created, CancellationToken.None);
            throw;
        }

        return Started(created);
    }

    /// <summary>Creates a container and enters it in the inventory as starting.</summary>
    public async Task<SessionContainer> CreateAsync(string? user, int port, CancellationToken cancellationToken)
    {
        var name = user is null ? Names.ForWarm() : Names.ForUser(user);
        var directory = Path.Combine(Node.StateDirectory, Node.ServerId, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        string? id = null;
        try
        {
            using var span = DockerCall("create");
            id = (await docker.Containers.CreateContainerAsync(spec.For(name, user, port, directory), cancellationToken)).ID;
        }
        catch
        {
            await RemoveAsync(id, directory, CancellationToken.None);
            throw;
        }

        var created = new SessionContainer(id, name, user, user is null, port, directory, Running: false, Starting: true);
        inventory.EnterStarting(created);
        return created;
    }

    /// <summary>Starts a created container and waits for its interface. Needs no lock; a caller removes a container that does not come up.</summary>
    public async Task BringUpAsync(SessionContainer created, CancellationToken cancellationToken)
    {
        using (DockerCall("start"))
        {
            await docker.Containers.StartContainerAsync(created.Id, new ContainerStartParameters(), cancellationToken);
        }

        await wireGuard.BringUpAsync(created, cancellationToken);
        await LowerShimAsync(created, cancellationToken);
    }

    /// <summary>Moves the container's shim into the idle cgroup (see <see cref="ShimPriority"/>): after each start, the node's or Docker's own.</summary>
    public async Task LowerShimAsync(SessionContainer container, CancellationToken cancellationToken)
    {
        if (shims.Enabled)
        {
            using var span = DockerCall("inspect");
            shims.Lower((await docker.Containers.InspectContainerAsync(container.Id, cancellationToken)).State.Pid);
        }
    }

    /// <summary>
    /// Starts a user's container that stopped (it crashed, or was restarted by hand) and waits for
    /// its interface. Its port binding is Docker's and stays; its key comes back from <see cref="ContainerRecords.KeyFile"/>.
    /// </summary>
    public async Task<SessionContainer> StartAgainAsync(SessionContainer stopped, CancellationToken cancellationToken)
    {
        await BringUpAsync(stopped, cancellationToken);
        var running = stopped with { Running = true };
        inventory.Replace(running);
        logger.LogInformation("Started stopped container {Container} again on port {Port}", running.Name, running.Port);
        return running;
    }

    /// <summary>Enters a container that came up in the inventory as running; once is enough.</summary>
    public SessionContainer Started(SessionContainer created)
    {
        var running = created with { Running = true, Starting = false };
        if (inventory.EnterRunning(running))
        {
            logger.LogInformation("Started container {Container} on port {Port}", running.Name, running.Port);
        }

        return running;
    }

    /// <summary>The lowest port of the node's range that none of its containers is published on and nothing on the host listens on. Call it under the convergence lock, after a listing.</summary>
    public int FreePort() => PortChoice.Lowest(Node.PortMin, Node.PortMax, inventory.List(), inventory.Leaving, HostUdpPorts.Bound());

    /// <summary>
    /// Makes a warm container the user's. The claim is recorded on the host, which is quick and
    /// survives a restart; the rename that shows it in
    /// <c>docker ps</c> waits for <see cref="RenameClaimedAsync"/>, off the connect's path.
    /// </summary>
    public async Task<SessionContainer> ClaimAsync(SessionContainer warm, string user, CancellationToken cancellationToken)
    {
        var name = Names.ForUser(user);
        await ContainerRecords.SetOwnerAsync(warm.UapiDirectory, user, cancellationToken);
        var claimed = warm with { Name = name, User = user, IsWarm = false };
        unnamed.Add(claimed);
        inventory.Replace(claimed);
        return claimed;
    }

    /// <summary>A span for one call to the Docker Engine API, whose client traces nothing itself.</summary>
    private static Activity? DockerCall(string operation) => Telemetry.Spans.StartActivity($"docker {operation}", ActivityKind.Client);

    /// <summary>Gives claimed containers their users' names. The owner file holds each claim; the name is for people.</summary>
    public async Task RenameClaimedAsync(CancellationToken cancellationToken)
    {
        foreach (var claimed in unnamed.ToList())
        {
            unnamed.Remove(claimed);
            try
            {
                await docker.Containers.RenameContainerAsync(claimed.Id, new ContainerRenameParameters { NewName = claimed.Name }, cancellationToken);
                logger.LogInformation("Claimed a warm container as {Container}", claimed.Name);
            }
            catch (Exception exception) when (exception is DockerApiException or HttpRequestException)
            {
                logger.LogWarning(exception, "Could not rename claimed container {Id} to {Container}", claimed.Id, claimed.Name);
            }
        }
    }

    public async Task RemoveAsync(SessionContainer container, CancellationToken cancellationToken)
    {
        await RemoveAsync(container.Id, container.UapiDirectory, cancellationToken);
        Forget(container);
        logger.LogInformation("Removed container {Container}", container.Name);
    }

    /// <summary>
    /// Takes <paramref name="container"/> out of the inventory at once (call it under the convergence
    /// lock) and out of Docker in the task returned, which takes no lock: a removal must not hold up
    /// connects. For warm containers only: a user's container keeps its user's name until Docker lets it go.
    /// </summary>
    public Task RemoveUnlockedAsync(SessionContainer container)
    {
        inventory.EnterLeaving(container);
        Forget(container);
        return RemoveLeavingAsync(container);
    }

    private async Task RemoveLeavingAsync(SessionContainer container)
    {
        try
        {
            await RemoveAsync(container.Id, container.UapiDirectory, CancellationToken.None);
            logger.LogInformation("Removed container {Container}", container.Name);
        }
        finally
        {
            inventory.Left(container.Id);
        }
    }

    private void Forget(SessionContainer container)
    {
        ContainerRecords.Remove(container.UapiDirectory);
        inventory.Forget(container);
        wireGuard.Forget(container);
    }

    private async Task RemoveAsync(string? id, string directory, CancellationToken cancellationToken)
    {
        if (id is not null)
        {
            try
            {
                using var span = DockerCall("remove");
                await docker.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true }, cancellationToken);
            }
            catch (DockerContainerNotFoundException)
            {
                // Gone already: what removing wanted.
            }
        }

        if (directory.Length > 0 && Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
