namespace OrleansWg;

/// <summary>
/// What an admin says of a server, which placement goes by; its node's registration cannot change
/// any of it. Null keeps what the server has; a new server needs a capacity and a public address.
/// </summary>
/// <param name="PublicAddress">The IP address clients reach the node's UDP ports on.</param>
[GenerateSerializer, Immutable, Alias("owg.ServerSettings")]
public sealed record ServerSettings(string? Group, int? Capacity, string? PublicAddress);

/// <summary>What <see cref="IServerGrain.Configure"/> did.</summary>
[GenerateSerializer, Alias("owg.ServerConfigured")]
public enum ServerConfigured
{
    /// <summary>The server was made: its node may now register.</summary>
    Created,

    Changed,

    /// <summary>Nothing: a new server needs a capacity and a public address.</summary>
    Incomplete,
}
