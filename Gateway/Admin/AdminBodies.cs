using OrleansWg.Gateway.Http;

namespace OrleansWg.Gateway.Admin;

public sealed record CreateUserBody(string? Username, string? Password) : IValidatable
{
    public Validation Validate() => new Validation().Name(Username?.ToLowerInvariant(), "username").Password(Password);

    public override string ToString() => $"CreateUserBody {{ Username = {Username} }}";
}

public sealed record PasswordBody(string? Password) : IValidatable
{
    public Validation Validate() => new Validation().Password(Password);

    public override string ToString() => "PasswordBody { }";
}

public sealed record ServerSettingsBody(string? Group, int? Capacity, string? PublicAddress) : IValidatable
{
    public Validation Validate() => new Validation()
        .Check(Group is null || Names.IsValid(Group), "group", "a group name")
        .Check(Capacity is null or >= 0, "capacity", "zero or more sessions")
        .Check(PublicAddress is null || System.Net.IPAddress.TryParse(PublicAddress, out _), "publicAddress", "an IP address");

    public ServerSettings ToSettings() => new(Group, Capacity, PublicAddress);
}

public sealed record PermissionsBody(string[]? Servers, string[]? Groups) : IValidatable
{
    public Validation Validate() => new Validation()
        .Check((Servers ?? []).All(Names.IsValid), "servers", "server ids")
        .Check((Groups ?? []).All(Names.IsValid), "groups", "group names");

    public ServerPermissions ToPermissions() => new([.. (Servers ?? []).Distinct()], [.. (Groups ?? []).Distinct()]);

    public static PermissionsBody From(ServerPermissions permissions) => new([.. permissions.ServerIds], [.. permissions.Groups]);
}

/// <summary>Whether a group's users must log in a certain way (MFA, single sign-on).</summary>
public sealed record GroupPolicyBody(bool Required);
