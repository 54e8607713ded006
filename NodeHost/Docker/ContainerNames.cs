namespace OrleansWg.NodeHost.Docker;

/// <summary>
/// Container names say whose a container is: owg-{server}-u-{user}, or owg-{server}-warm-{n} for
/// a warm one. A warm container is renamed when claimed, because labels cannot change.
/// </summary>
public sealed class ContainerNames(string serverId)
{
    private string UserPrefix => $"owg-{serverId}-u-";

    private string WarmPrefix => $"owg-{serverId}-warm-";

    public string Network => $"owg-{serverId}";

    public string ForUser(string user) => UserPrefix + user;

    public string ForWarm() => WarmPrefix + Guid.NewGuid().ToString("N")[..8];

    public string? UserOf(string name) =>
        name.StartsWith(UserPrefix, StringComparison.Ordinal) ? name[UserPrefix.Length..] : null;

    public bool IsWarm(string name) => name.StartsWith(WarmPrefix, StringComparison.Ordinal);
}
