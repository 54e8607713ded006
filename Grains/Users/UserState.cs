namespace OrleansWg.Grains.Users;

[GenerateSerializer, Alias("owg.UserState")]
public sealed record UserState
{
    [Id(0)] public string? PasswordHash { get; set; }

    [Id(1)] public ServerPermissions Permissions { get; set; } = ServerPermissions.None;

    [Id(2)] public int FailedLogins { get; set; }

    [Id(3)] public DateTimeOffset? LockedUntil { get; set; }

    /// <summary>Live sessions and the server each one is on.</summary>
    [Id(4)] public Dictionary<Guid, string> Sessions { get; set; } = [];

    public bool Exists => PasswordHash is not null;
}
