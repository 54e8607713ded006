namespace OrleansWg.Gateway.Connect;

/// <param name="Config">A complete wg-quick file; holds the private key when the server made it.</param>
public sealed record ConnectResponse(
    Guid SessionId,
    string SessionToken,
    string Server,
    string Endpoint,
    string Address,
    string ServerPublicKey,
    DateTimeOffset ExpiresAt,
    string Config);
