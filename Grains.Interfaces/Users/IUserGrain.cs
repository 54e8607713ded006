namespace OrleansWg;

/// <summary>One account, keyed by its lower-case user name.</summary>
[Alias("owg.IUserGrain")]
public interface IUserGrain : IGrainWithStringKey
{
    /// <returns>false when the user exists already.</returns>
    [Alias("Create")] Task<bool> Create(string password);

    /// <returns>false when there is no such user.</returns>
    [Alias("Delete")] Task<bool> Delete();

    [Alias("SetPassword")] Task<bool> SetPassword(string password);

    [Alias("SetPermissions")] Task<bool> SetPermissions(ServerPermissions permissions);

    [Alias("Describe")] Task<UserProfile?> Describe();

    [Alias("Connect")] Task<ConnectResult> Connect(ConnectRequest request);

    /// <summary>Told by a session when it ends; one-way so a closing session never waits on its user.</summary>
    [Alias("SessionEnded"), OneWay] Task SessionEnded(Guid sessionId);
}
