namespace OrleansWg.NodeHost.Docker;

/// <summary>
/// Container names say whose a container is: {installation}.{server}-u-{user}, or
/// {installation}.{server}-warm-{n} for a warm one (see <see cref="NodeOwner"/>). A warm container
/// is renamed when claimed, because labels cannot change.
/// </summary>
public sealed class ContainerNames(NodeOwner owner)
{
    private string UserPrefix => $"{owner.Key}-u-";

    private string WarmPrefix => $"{owner.Key}-warm-";

    public string Network => owner.Key;

    public string ForUser(string user) => UserPrefix + user;

    public string ForWarm() => WarmPrefix + Guid.NewGuid().ToString("N")[..8];

    public string? UserOf(string name) =>
        name.StartsWith(UserPrefix, StringComparison.Ordinal) ? name[UserPrefix.Length..] : null;

    public bool IsWarm(string name) => name.StartsWith(WarmPrefix, StringComparison.Ordinal);
}
