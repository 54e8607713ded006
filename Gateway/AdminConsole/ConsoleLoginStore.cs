using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace OrleansWg.Gateway.AdminConsole;

/// <summary>
/// Keeps the console's logins in the cluster (<see cref="IConsoleLoginsGrain"/>): the cookie carries
/// only a random key, so a logout removes the login for every Gateway, and nothing in a stolen
/// cookie outlives it. The cluster keeps each login under a hash of its key, so whoever reads the
/// database learns no key a cookie could carry.
/// </summary>
public sealed class ConsoleLoginStore(IGrainFactory grains, TimeProvider clock) : ITicketStore
{
    private IConsoleLoginsGrain Logins => grains.GetGrain<IConsoleLoginsGrain>(0);

    private static string Stored(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(key)));

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        await RenewAsync(key, ticket);
        return key;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) =>
        Logins.Store(Stored(key), TicketSerializer.Default.Serialize(ticket), ticket.Properties.ExpiresUtc ?? clock.GetUtcNow().AddHours(1));

    public async Task<AuthenticationTicket?> RetrieveAsync(string key) =>
        await Logins.Get(Stored(key)) is { } ticket ? TicketSerializer.Default.Deserialize(ticket) : null;

    public Task RemoveAsync(string key) => Logins.Remove(Stored(key));
}
