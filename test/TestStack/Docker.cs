namespace OrleansWg.TestStack;

public sealed record ContainerInfo(string Id, string Name);

/// <summary>What tests ask of dockerd, through the docker command.</summary>
public static class Docker
{
    /// <summary>The containers labelled as <paramref name="serverId"/>'s, running or not.</summary>
    public static async Task<IReadOnlyList<ContainerInfo>> ContainersAsync(string serverId) =>
        [.. (await Command.Run("docker", "ps", "-a", "--no-trunc", "--filter", $"label=owg.node={serverId}", "--format", "{{.ID}} {{.Names}}"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .Select(parts => new ContainerInfo(parts[0], parts[1]))];

    /// <summary>The public keys of the peers of a container's wg0, read with wg inside it.</summary>
    public static async Task<IReadOnlySet<string>> PeersAsync(string container) =>
        (await Command.Run("docker", "exec", container, "wg", "show", "wg0", "peers"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet();

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

    public static async Task RemoveNodeAsync(string serverId)
    {
        foreach (var container in await ContainersAsync(serverId))
        {
            await Command.Run("docker", "rm", "-f", container.Id);
        }

        if ((await Command.Run("docker", "network", "ls", "-q", "--filter", $"name=^owg-{serverId}$")).Trim().Length > 0)
        {
            await Command.Run("docker", "network", "rm", $"owg-{serverId}");
        }
    }
}
