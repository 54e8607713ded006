namespace OrleansWg.TestStack;

/// <summary>
/// The resolver a client had before it connected, as a home router or an office resolver is: a
/// real DNS server in a namespace of its own, joined to the client's namespace alone by a veth (a
/// /30 in 198.19.252.0/24), named in the client's resolv.conf, answering for the test zone and
/// counting the queries it gets.
/// </summary>
public sealed class HomeResolver : IAsyncDisposable
{
    private readonly string suffix = Guid.NewGuid().ToString("N")[..6];
    private static int created;
    private readonly int subnet = Interlocked.Increment(ref created) % 64;
    private DnsServer? server;

    private string Namespace => $"owgh-{suffix}";

    private string ClientVeth => $"owgk{suffix}";

    private string HomeVeth => $"owgm{suffix}";

    private string ClientSideAddress => $"198.19.252.{subnet * 4 + 1}";

    public string Address => $"198.19.252.{subnet * 4 + 2}";

    /// <summary>What the client's resolv.conf says before it connects.</summary>
    public string ResolvConf => $"# the client's home network\nnameserver {Address}\nsearch home.example\noptions edns0\n";

    public DnsServer Server => server!;

    public static async Task<HomeResolver> StartAsync(ClientNamespace client, string zone, IReadOnlyDictionary<string, string> records)
    {
        var home = new HomeResolver();
        try
        {
            await Command.Run("ip", "netns", "add", home.Namespace);
            await Command.Run("ip", "link", "add", home.ClientVeth, "type", "veth", "peer", "name", home.HomeVeth);
            await Command.Run("ip", "link", "set", home.ClientVeth, "netns", client.Namespace);
            await Command.Run("ip", "link", "set", home.HomeVeth, "netns", home.Namespace);
            await Command.Run("ip", "netns", "exec", client.Namespace, "ip", "addr", "add", $"{home.ClientSideAddress}/30", "dev", home.ClientVeth);
            await Command.Run("ip", "netns", "exec", client.Namespace, "ip", "link", "set", home.ClientVeth, "up");
            foreach (var command in new[] { new[] { "ip", "link", "set", "lo", "up" }, ["ip", "addr", "add", $"{home.Address}/30", "dev", home.HomeVeth], ["ip", "link", "set", home.HomeVeth, "up"] })
            {
                await Command.Run("ip", ["netns", "exec", home.Namespace, .. command]);
            }

            home.server = await DnsServer.StartAsync(home.Namespace, home.Address, zone, records);
            await File.WriteAllTextAsync(client.ResolvConf, home.ResolvConf);
            return home;
        }
        catch
        {
            await home.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync() => await Cleanups.RunAllAsync(
        async () =>
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        },
        // The veth pair goes with the namespace.
        () => Command.Try("ip", null, "netns", "del", Namespace));
}
