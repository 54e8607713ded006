namespace OrleansWg;

/// <summary>One VPN session, keyed by a fresh Guid.</summary>
[Alias("owg.ISessionGrain")]
public interface ISessionGrain : IGrainWithGuidKey
{
    [Alias("Start")] Task<SessionStartResult> Start(SessionStart start);

    [Alias("Describe")] Task<SessionView?> Describe();

    /// <returns>true when <paramref name="token"/> is the token this session was started with.</returns>
    [Alias("Authorize")] Task<bool> Authorize(string token);

    /// <summary>Removes the peer and ends the session; closing a closed session does nothing.</summary>
    [Alias("Close")] Task Close(CloseReason reason);
}
