namespace OrleansWg.TestStack;

public sealed record ContainerInfo(string Id, string Name);

/// <summary>What tests ask of dockerd, through the docker command.</summary>
public static class Docker
{
    /// <summary>
    /// The containers labelled as <paramref name="serverId"/>'s, running or not: of any installation,
    /// or of <paramref name="installation"/>'s only.
    /// </summary>
    public static async Task<IReadOnlyList<ContainerInfo>> ContainersAsync(string serverId, string? installation = null) =>
        [.. (await Command.Run("docker", ["ps", "-a", "--no-trunc", "--filter", $"label=owg.node={serverId}",
                .. installation is null ? Array.Empty<string>() : ["--filter", $"label=owg.installation={installation}"], "--format", "{{.ID}} {{.Names}}"]))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .Select(parts => new ContainerInfo(parts[0], parts[1]))];

    /// <summary>The public keys of the peers of a container's wg0, read with wg inside it.</summary>
    public static async Task<IReadOnlySet<string>> PeersAsync(string container) =>
        (await Command.Run("docker", "exec", container, "wg", "show", "wg0", "peers"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet();

    /// <summary>
    /// true when the parent of the container's first process is its containerd shim and sits in
    /// the node's idle cpu cgroup, orleanswg-shims, marked idle.
    /// </summary>
    public static async Task<bool> ShimIsInIdleCgroupAsync(string container)
    {
        var pid = (await Command.Run("docker", "inspect", "--format", "{{.State.Pid}}", container)).Trim();
        var shim = int.Parse(await Command.Run("ps", "-o", "ppid=", "-p", pid));
        var cgroups = (await File.ReadAllTextAsync($"/proc/{shim}/cgroup")).Split('\n');
        var idle = File.Exists("/sys/fs/cgroup/cpu/cpu.shares") ? "/sys/fs/cgroup/cpu/orleanswg-shims/cpu.idle" : "/sys/fs/cgroup/orleanswg-shims/cpu.idle";
        return (await File.ReadAllTextAsync($"/proc/{shim}/comm")).StartsWith("containerd-shim")
            // cgroup v1: "N:cpu:/orleanswg-shims" (the controller may share its line with cpuacct); v2: "0::/orleanswg-shims".
            && cgroups.Any(line => line.EndsWith(":/orleanswg-shims") && (line.StartsWith("0::") || line.Split(':')[1].Split(',').Contains("cpu")))
            && (await File.ReadAllTextAsync(idle)).Trim() == "1";
    }

    /// <summary>true once the node has given the container's interface its key and port.</summary>
    public static async Task<bool> IsInterfaceReadyAsync(string container)
    {
        try
        {
            return (await Command.Run("docker", "exec", container, "wg", "show", "wg0", "listen-port")).Trim() == "51820";
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>SIGKILLs the node's containers, as the death of its machine would.</summary>
    public static async Task KillContainersAsync(string serverId)
    {
        foreach (var container in await ContainersAsync(serverId))
        {
            await Command.Try("docker", null, "kill", container.Id);
        }
    }

    /// <summary>
    /// Removes the node's containers and network. A NodeHost stopped a moment before may have left a
    /// removal under way in dockerd, which refuses a second one: those are waited for (30 s at most).
    /// </summary>
    public static async Task RemoveNodeAsync(string installation, string serverId)
    {
        const int Passes = 60;
        for (var pass = 0; (await ContainersAsync(serverId, installation)) is { Count: > 0 } left; pass++)
        {
            if (pass == Passes)
            {
                throw new InvalidOperationException($"the containers of {serverId} are still there after {Passes} removals: {string.Join(", ", left.Select(c => c.Name))}");
            }

            foreach (var container in left)
            {
                await Command.Try("docker", null, "rm", "-f", container.Id);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        var network = $"{installation}.{serverId}";
        if ((await Command.Run("docker", "network", "ls", "-q", "--filter", $"name=^{network}$")).Trim().Length > 0)
        {
            await Command.Run("docker", "network", "rm", network);
        }
    }
}
