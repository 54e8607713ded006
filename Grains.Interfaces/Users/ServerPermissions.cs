namespace OrleansWg;

/// <summary>Where a user may be placed: named servers and/or server groups. None means the generic pool.</summary>
[GenerateSerializer, Immutable, Alias("owg.ServerPermissions")]
public sealed record ServerPermissions(ImmutableArray<string> ServerIds, ImmutableArray<string> Groups)
{
    public const string GenericGroup = "generic";

    public static readonly ServerPermissions None = new([], []);

    public bool IsEmpty => ServerIds.IsDefaultOrEmpty && Groups.IsDefaultOrEmpty;

    public bool Permits(string serverId, string group) =>
        IsEmpty ? group == GenericGroup : ServerIds.Contains(serverId) || Groups.Contains(group);
}
