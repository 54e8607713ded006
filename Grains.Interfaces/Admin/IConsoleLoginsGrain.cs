namespace OrleansWg;

/// <summary>
/// The console's logins, kept in the cluster; the browser's cookie holds only a login's key. So every
/// Gateway knows the same logins, a logout ends one on every Gateway at once, and a Gateway's restart
/// ends none. One grain for all: a handful of admins log in, and a login is read once a request.
/// </summary>
[Alias("owg.IConsoleLoginsGrain")]
[Version(1)]
public interface IConsoleLoginsGrain : IGrainWithIntegerKey
{
    /// <summary>Keeps a login's ticket (ASP.NET Core's serialized authentication ticket) until <paramref name="expires"/>.</summary>
    [Alias("Store")] Task Store(string key, byte[] ticket, DateTimeOffset expires);

    /// <summary>The login's ticket, or null when there is none or it has expired.</summary>
    [Alias("Get"), AlwaysInterleave] Task<byte[]?> Get(string key);

    /// <summary>Ends the login.</summary>
    [Alias("Remove")] Task Remove(string key);
}
