namespace OrleansWg.TestStack;

/// <summary>What tests ask of dockerd, through the docker command.</summary>
public static class Docker
{
    /// <summary>The containers labelled as <paramref name="serverId"/>'s: name and the owg.user label.</summary>
    public static async Task<IReadOnlyList<string>> ContainerNamesAsync(string serverId) =>
        (await Command.Run("docker", "ps", "-a", "--filter", $"label=owg.node={serverId}", "--format", "{{.Names}}"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public static async Task RemoveNodeAsync(string serverId)
    {
        foreach (var name in await ContainerNamesAsync(serverId))
        {
            await Command.Run("docker", "rm", "-f", name);
        }

        if ((await Command.Run("docker", "network", "ls", "-q", "--filter", $"name=^owg-{serverId}$")).Trim().Length > 0)
        {
            await Command.Run("docker", "network", "rm", $"owg-{serverId}");
        }
    }
}
