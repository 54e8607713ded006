namespace OrleansWg.TestStack;

/// <summary>
/// A client host of the test's own: a network namespace joined to the root namespace by a veth
/// (a /30 in 198.19.254.0/24) with a route to the nodes' public addresses only, and, when
/// asked for, a wireguard-go interface. Interface names are unique on the machine, because every
/// namespace shares /var/run/wireguard. Everything goes when the test ends, also after a failure.
/// </summary>
public sealed class ClientNamespace : IAsyncDisposable
{
    private readonly string suffix = Guid.NewGuid().ToString("N")[..6];
    private static int created;

    // From a counter, not at random: two namespaces alive at once must never share a /30.
    private readonly int subnet = Interlocked.Increment(ref created) % 64;
    private ChildProcess? wireguard;

    public const int IperfPort = 5201;

    public string Namespace => $"owgc-{suffix}";

    public string Interface => $"owgc{suffix}";

    private string RootVeth => $"owgr{suffix}";

    private string ClientVeth => $"owgn{suffix}";

    /// <summary>The namespace's link to the root namespace: where its packets to the nodes go.</summary>
    public string UnderlayInterface => ClientVeth;

    private string RootAddress => $"198.19.254.{subnet * 4 + 1}";

    private string ClientAddress => $"198.19.254.{subnet * 4 + 2}";

    /// <summary>
    /// The namespace's own resolv.conf, which <c>ip netns exec</c> mounts over /etc/resolv.conf for
    /// the programs it runs: a client's DNS changes land here, never in the host's. Until a test
    /// says otherwise it names a resolver nothing answers for.
    /// </summary>
    public string ResolvConf => $"/etc/netns/{Namespace}/resolv.conf";

    /// <summary>Where a client program run in this namespace keeps its state; removed with the namespace.</summary>
    public string StateDirectory => $"/var/lib/orleanswg/test-clients/{Namespace}";

    /// <param name="nodeRoute">The node addresses the client routes to the root namespace, as a CIDR.</param>
    public static async Task<ClientNamespace> CreateAsync(string nodeRoute, bool withWireGuard = true)
    {
        var client = new ClientNamespace();
        try
        {
            await client.JoinAsync(nodeRoute);
            if (withWireGuard)
            {
                await client.StartWireGuardAsync();
            }

            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs a command inside the namespace, whatever its exit code.</summary>
    public Task<CommandResult> TryAsync(string? input, params string[] command) =>
        Command.Try("ip", input, ["netns", "exec", Namespace, .. command]);

    /// <returns>true when an HTTP GET of <paramref name="url"/> from inside the namespace succeeds within five seconds.</returns>
    public async Task<bool> CanFetchAsync(string url) =>
        (await TryAsync(null, "curl", "-fsS", "--max-time", "5", "-o", "/dev/null", url)).ExitCode == 0;

    /// <returns>true as soon as a fetch of <paramref name="url"/> succeeds, tried every half second for <paramref name="limit"/>: a tunnel that follows a moved session.</returns>
    public async Task<bool> FetchesWithinAsync(string url, TimeSpan limit)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (await CanFetchAsync(url))
            {
                return true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        return false;
    }

    /// <returns>The interface's IPv4 address with its prefix, or null when it has none.</returns>
    public async Task<string?> TunnelAddressAsync() =>
        (await TryAsync(null, "ip", "-4", "-o", "addr", "show", "dev", Interface)).Output.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .SkipWhile(word => word != "inet").Skip(1).FirstOrDefault();

    public async Task<bool> HasInterfaceAsync() => (await TryAsync(null, "ip", "link", "show", Interface)).ExitCode == 0;

    /// <summary>wg-quick's own parser strips the file to what wg takes; wg setconf applies it; wg showconf reads it back.</summary>
    public async Task<string> ApplyWgQuickConfig(string config)
    {
        var directory = Directory.CreateTempSubdirectory("owg-config-");
        try
        {
            var file = Path.Combine(directory.FullName, $"{Interface}.conf");
            await File.WriteAllTextAsync(file, config);
            var stripped = Path.Combine(directory.FullName, "stripped.conf");
            await File.WriteAllTextAsync(stripped, await Command.Run("wg-quick", "strip", file));
            await Exec("wg", "setconf", Interface, stripped);
            return await Exec("wg", "showconf", Interface);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Applies the config and gives the interface its address, with a route to
    /// <paramref name="tunnelTarget"/> only: nothing else of the client goes into the tunnel.
    /// </summary>
    public async Task BringUpAsync(string config, string address, string tunnelTarget)
    {
        await ApplyWgQuickConfig(config);
        await Exec("ip", "addr", "add", address, "dev", Interface);
        await Exec("ip", "link", "set", Interface, "up");
        await Exec("ip", "route", "add", $"{tunnelTarget}/32", "dev", Interface);
    }

    /// <summary>The client stops sending: its interface goes down, and nothing reaches the node any more.</summary>
    public Task TakeTunnelDownAsync() => Exec("ip", "link", "set", Interface, "down");

    /// <summary>Pings <paramref name="address"/> every half second for <paramref name="duration"/>.</summary>
    /// <returns>How many pings were answered.</returns>
    public async Task<int> KeepPingingAsync(string address, TimeSpan duration)
    {
        var count = (int)(duration.TotalSeconds * 2);
        var result = await Command.Try("ip", null, "netns", "exec", Namespace, "ping", "-c", $"{count}", "-i", "0.5", "-W", "1", address);
        return result.Output.Split('\n').Count(line => line.Contains("bytes from"));
    }

    /// <returns>
    /// true when <paramref name="address"/> answered a ping within 7 seconds: time for WireGuard to
    /// send its handshake again (after 5 s) when the first one is lost, as any client does.
    /// </returns>
    public async Task<bool> PingAsync(string address)
    {
        try
        {
            await Exec("ping", "-c", "1", "-w", "7", "-i", "0.5", address);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// The rate of a TCP transfer through the namespace's routes (its tunnel) with iperf3's server
    /// at <paramref name="server"/>: towards the namespace (a download) or from it (an upload).
    /// </summary>
    /// <returns>What the receiving side took in, in Mbit/s.</returns>
    /// <remarks>
    /// A transfer iperf3 could not make (its report says why in "error": the server still busy with
    /// the last one, or not listening yet) is tried again, three times at most.
    /// </remarks>
    public async Task<double> MeasureMbpsAsync(string server, bool download, int seconds = 3)
    {
        for (var attempt = 1; ; attempt++)
        {
            var report = await TryAsync(null, ["timeout", $"{seconds + 20}", "iperf3", "--client", server, "--time", $"{seconds}", "--json", .. download ? new[] { "--reverse" } : []]);
            using var json = System.Text.Json.JsonDocument.Parse(report.Output.TrimStart().StartsWith('{') ? report.Output : "{}");
            if (json.RootElement.TryGetProperty("end", out var end) && end.TryGetProperty("sum_received", out var received))
            {
                return received.GetProperty("bits_per_second").GetDouble() / 1e6;
            }

            if (attempt == 3)
            {
                throw new InvalidOperationException($"iperf3 made no transfer: {report.Output}{report.Error}");
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    public async Task<bool> HasHandshakeAsync() =>
        (await Exec("wg", "show", Interface, "latest-handshakes")).Split('\t', '\n').Skip(1).FirstOrDefault() is { } seconds
        && long.TryParse(seconds, out var value) && value > 0;

    public async ValueTask DisposeAsync() => await Cleanups.RunAllAsync(
        async () =>
        {
            if (wireguard is not null)
            {
                await wireguard.DisposeAsync();
            }
        },
        () => VethNamespace.DeleteAsync(Namespace, RootVeth),
        () => Task.Run(() =>
        {
            Directory.Delete(Path.GetDirectoryName(ResolvConf)!, recursive: true);
            File.Delete($"/var/run/wireguard/{Interface}.sock");
            if (Directory.Exists(StateDirectory))
            {
                Directory.Delete(StateDirectory, recursive: true);
            }
        }));

    private Task<string> Exec(params string[] command) => Command.Run("ip", ["netns", "exec", Namespace, .. command]);

    private async Task StartWireGuardAsync()
    {
        wireguard = ChildProcess.Start("ip", ["netns", "exec", Namespace, "wireguard-go", "-f", Interface],
            new Dictionary<string, string> { ["WG_PROCESS_FOREGROUND"] = "1" }, Repository.LogPath($"{Interface}.log"));
        var socket = $"/var/run/wireguard/{Interface}.sock";
        for (var attempt = 0; attempt < 100 && !File.Exists(socket); attempt++)
        {
            await Task.Delay(50);
        }

        if (!File.Exists(socket))
        {
            throw new InvalidOperationException($"wireguard-go made no {socket}");
        }
    }

    private async Task JoinAsync(string nodeRoute)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(ResolvConf)!);
        await File.WriteAllTextAsync(ResolvConf, "# the test client's own\nnameserver 127.0.0.53\n");
        await VethNamespace.CreateAsync(Namespace, RootVeth, ClientVeth, RootAddress, ClientAddress);
        await Exec("ip", "route", "add", nodeRoute, "via", RootAddress);
    }
}
