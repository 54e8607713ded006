namespace OrleansWg;

/// <summary>
/// A node registered as a server no admin has made: a certificate and credential alone do not put a
/// node into placement (<see cref="IServerGrain.Configure"/> makes the server).
/// </summary>
[GenerateSerializer, Alias("owg.ServerNotEnrolledException")]
public sealed class ServerNotEnrolledException : Exception
{
    public ServerNotEnrolledException(string message)
        : base(message)
    {
    }
}
