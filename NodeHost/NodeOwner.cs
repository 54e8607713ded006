namespace OrleansWg.NodeHost;

/// <summary>
/// Whose the things a node makes on its host are: its installation's and its server's. The
/// installation id is the cluster id, the same in every process of one installation and different
/// between two. Two installations may each run a node of the same server id on one host: every
/// container, network, firewall chain and state file carries both ids, so neither touches the other's.
/// </summary>
public sealed record NodeOwner(string Installation, string ServerId)
{
    public const string InstallationLabel = "owg.installation";

    public const string ServerLabel = "owg.node";

    /// <summary>Names the state directory's files after their installation (one per server id).</summary>
    private const string ClaimSuffix = ".installation";

    /// <summary>installation.server: unambiguous, because neither id may hold a dot.</summary>
    public string Key => $"{Installation}.{ServerId}";

    public Dictionary<string, string> Labels() => new() { [InstallationLabel] = Installation, [ServerLabel] = ServerId };

    /// <summary>Docker's filter for what this owner made: both labels, which Docker requires together.</summary>
    public Dictionary<string, bool> LabelFilter() => new() { [$"{InstallationLabel}={Installation}"] = true, [$"{ServerLabel}={ServerId}"] = true };

    /// <summary>The owner the process's settings name: Cluster:ClusterId and Node:ServerId, both checked.</summary>
    public static NodeOwner From(IConfiguration configuration)
    {
        var installation = configuration.GetSection(Hosting.ClusterSettings.Section).Get<Hosting.ClusterSettings>()?.ClusterId ?? new Hosting.ClusterSettings().ClusterId;
        var serverId = configuration[$"{NodeOptions.Section}:{nameof(NodeOptions.ServerId)}"] ?? "";
        return !Names.IsValid(installation)
            ? throw new InvalidOperationException($"Cluster:ClusterId '{installation}' must be 1-32 of a-z, 0-9, '-' and '_': a node names its containers after it")
            : !Names.IsValid(serverId)
                ? throw new InvalidOperationException($"Node:ServerId '{serverId}' must be 1-32 of a-z, 0-9, '-' and '_'")
                : new NodeOwner(installation, serverId);
    }

    /// <summary>
    /// Claims this server's files in <paramref name="stateDirectory"/> for this installation, or
    /// refuses to start when another installation's node of the same server id keeps its files there.
    /// </summary>
    public void ClaimStateDirectory(string stateDirectory)
    {
        Directory.CreateDirectory(stateDirectory);
        var claim = Path.Combine(stateDirectory, ServerId + ClaimSuffix);
        if (File.Exists(claim) && File.ReadAllText(claim).Trim() is var holder && holder != Installation)
        {
            throw new InvalidOperationException(
                $"{stateDirectory} holds the files of server {ServerId} of installation {holder}, not of {Installation}: "
                + "give each installation on a host its own Node:StateDirectory");
        }

        File.WriteAllText(claim, Installation + "\n");
    }
}
