using System.Text.Json;

namespace OrleansWg.TestStack;

/// <summary>A person at the identity provider: their login, and the groups it says they are in.</summary>
public sealed record OidcUser(string Name, string Password, string[] Groups, bool Disabled = false);

/// <summary>
/// A real OpenID Connect provider for a test: npm's oidc-provider (test/OidcProvider/provider.mjs,
/// its packages installed by scripts/lib/test-machine.sh) on Debian's Node.js, on a free loopback
/// port, with its own signing key, its users in a state file that it reads at every login and
/// token request (so a test disables a user by writing it), and the cluster as its client.
/// </summary>
public sealed class OidcProvider : IAsyncDisposable
{
    public const string ClientId = "orleanswg";
    public const string ClientSecret = "test-client-secret-of-the-cluster";
    public const string ConsoleClientId = "orleanswg-console";
    public const string ConsoleClientSecret = "test-client-secret-of-the-console";

    private static readonly string PackageDirectory = "/var/lib/orleanswg/test-oidc-provider";
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("owg-oidc-");
    private readonly Dictionary<string, OidcUser> users;
    private ChildProcess? process;

    // Where the provider sends the console back to, once a test has said (the Gateway's port is known only once it runs).
    private string? consoleRedirect;

    private OidcProvider(IEnumerable<OidcUser> users) => this.users = users.ToDictionary(user => user.Name);

    /// <summary>The provider's issuer URL: http on 127.0.0.1 and its port.</summary>
    public string Issuer { get; private set; } = "";

    private string StateFile => Path.Combine(directory.FullName, "state.json");

    public static async Task<OidcProvider> StartAsync(params OidcUser[] users)
    {
        var provider = new OidcProvider(users);
        try
        {
            await provider.StartProcessAsync();
            return provider;
        }
        catch
        {
            await provider.DisposeAsync();
            throw;
        }
    }

    /// <summary>The silos' settings for this provider, with <paramref name="groupMap"/> (PROVIDER_GROUP=SERVER_GROUP each).</summary>
    public Dictionary<string, string> Settings(TimeSpan recheckPeriod, params string[] groupMap)
    {
        var settings = new Dictionary<string, string>
        {
            ["Sso__Issuer"] = Issuer,
            ["Sso__ClientId"] = ClientId,
            ["Sso__ClientSecret"] = ClientSecret,
            ["Sso__RecheckPeriod"] = recheckPeriod.ToString("c"),
        };
        for (var i = 0; i < groupMap.Length; i++)
        {
            settings[$"Sso__GroupMap__{i}"] = groupMap[i];
        }

        return settings;
    }

    /// <summary>The Gateways' settings for admins' console logins by this provider, with <paramref name="roleMap"/> (VALUE=ROLE each).</summary>
    public Dictionary<string, string> ConsoleSettings(params string[] roleMap)
    {
        var settings = new Dictionary<string, string>
        {
            ["ConsoleSso__Issuer"] = Issuer,
            ["ConsoleSso__ClientId"] = ConsoleClientId,
            ["ConsoleSso__ClientSecret"] = ConsoleClientSecret,
        };
        for (var i = 0; i < roleMap.Length; i++)
        {
            settings[$"ConsoleSso__RoleMap__{i}"] = roleMap[i];
        }

        return settings;
    }

    /// <summary>Lets the console's client of the provider come back to <paramref name="redirectUri"/> (the code flow's callback).</summary>
    public void AllowConsole(string redirectUri)
    {
        consoleRedirect = redirectUri;
        WriteState();
    }

    /// <summary>The provider stops (or again lets) the user log in, and refuses their refresh tokens, from its next request on.</summary>
    public void SetDisabled(string user, bool disabled)
    {
        users[user] = users[user] with { Disabled = disabled };
        WriteState();
    }

    /// <summary>The provider stops answering, as in an outage.</summary>
    public async Task StopAsync()
    {
        if (process is not null)
        {
            await process.DisposeAsync();
            process = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        directory.Delete(recursive: true);
    }

    private async Task StartProcessAsync()
    {
        WriteState();
        // The script must sit beside its node_modules for Node.js to find its packages.
        var script = Path.Combine(PackageDirectory, "provider.mjs");
        var copy = $"{script}.{Guid.NewGuid():N}";
        File.Copy(Path.Combine(Repository.Root, "test", "OidcProvider", "provider.mjs"), copy);
        File.Move(copy, script, overwrite: true);
        var log = Repository.LogPath($"oidc-provider-{Path.GetFileName(directory.FullName)}.log");
        process = ChildProcess.Start("node", [script], new Dictionary<string, string>
        {
            ["OIDC_STATE_FILE"] = StateFile,
            ["OIDC_PORT"] = "0",
            ["OIDC_AUTO_CONSENT"] = "1",
        }, log);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            if (File.Exists(log) && File.ReadLines(log).FirstOrDefault(line => line.StartsWith("ready ", StringComparison.Ordinal)) is { } ready)
            {
                Issuer = ready["ready ".Length..].Trim();
                return;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"the identity provider did not start within 30 s; see {log}");
    }

    private void WriteState()
    {
        var state = new
        {
            users = users.Values.Select(user => new { sub = $"sub-{user.Name}", username = user.Name, password = user.Password, groups = user.Groups, disabled = user.Disabled }),
            clients = new object[]
            {
                new
                {
                    client_id = ClientId, client_secret = ClientSecret, client_name = "OrleansWg",
                    grant_types = new[] { "urn:ietf:params:oauth:grant-type:device_code", "refresh_token" },
                },
                new
                {
                    client_id = ConsoleClientId, client_secret = ConsoleClientSecret, client_name = "OrleansWg console",
                    grant_types = new[] { "authorization_code" }, redirect_uris = consoleRedirect is null ? Array.Empty<string>() : [consoleRedirect],
                },
            },
        };
        var temporary = $"{StateFile}.new";
        File.WriteAllText(temporary, JsonSerializer.Serialize(state));
        File.Move(temporary, StateFile, overwrite: true);
    }
}
