namespace OrleansWg.TestStack;

/// <summary>
/// "The internet" for a test: a namespace of its own joined to the root namespace by a veth
/// (a /30 in 198.18.200.0/24), serving one page over HTTP, and iperf3 when asked. Client namespaces have no route to
/// it: only traffic that leaves a node's container through its NAT gets there.
/// </summary>
public sealed class InternetHost : IAsyncDisposable
{
    public const string Page = "hello from the test internet";

    private readonly string suffix = Guid.NewGuid().ToString("N")[..6];
    private static int created;

    // From a counter, not at random: two hosts alive at once must never share a /30.
    private readonly int subnet = Interlocked.Increment(ref created) % 64;
    private readonly DirectoryInfo site = Directory.CreateTempSubdirectory("owg-site-");
    private ChildProcess? server;
    private ChildProcess? iperf;

    private string Namespace => $"owgi-{suffix}";

    private string RootVeth => $"owgx{suffix}";

    private string HostVeth => $"owgy{suffix}";

    /// <summary>The root namespace's end of the link: where a node's NAT sends from.</summary>
    public string NodeSideAddress => $"198.18.200.{subnet * 4 + 1}";

    public string Address => $"198.18.200.{subnet * 4 + 2}";

    public string Url => $"http://{Address}:8080/";

    private string LogPath => Repository.LogPath($"{Namespace}-http.log");

    public static async Task<InternetHost> CreateAsync()
    {
        var host = new InternetHost();
        try
        {
            await File.WriteAllTextAsync(Path.Combine(host.site.FullName, "index.html"), Page);
            await VethNamespace.CreateAsync(host.Namespace, host.RootVeth, host.HostVeth, host.NodeSideAddress, host.Address);
            host.server = ChildProcess.Start("ip",
                ["netns", "exec", host.Namespace, "/usr/bin/python3", "-u", "-m", "http.server", "8080", "--bind", host.Address, "--directory", host.site.FullName],
                new Dictionary<string, string>(), host.LogPath);
            for (var attempt = 0; attempt < 100; attempt++)
            {
                if ((await Command.Try("ip", null, "netns", "exec", host.Namespace, "curl", "-fsS", "-o", "/dev/null", host.Url)).ExitCode == 0)
                {
                    return host;
                }

                await Task.Delay(100);
            }

            throw new InvalidOperationException($"the test web server did not start; see {host.LogPath}");
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A DNS server on <see cref="Address"/>, authoritative for <paramref name="zone"/>: the upstream
    /// a node's resolver is given in a test. <paramref name="names"/> (each in the zone) point at this host.
    /// </summary>
    public Task<DnsServer> StartDnsAsync(string zone, params string[] names) =>
        DnsServer.StartAsync(Namespace, Address, zone, names.ToDictionary(name => name, _ => Address));

    /// <summary>Starts an iperf3 server on <see cref="Address"/>, for <see cref="ClientNamespace.MeasureMbpsAsync"/>.</summary>
    public async Task StartIperfAsync()
    {
        iperf ??= ChildProcess.Start("ip", ["netns", "exec", Namespace, "iperf3", "--server", "--bind", Address],
            new Dictionary<string, string>(), Repository.LogPath($"{Namespace}-iperf.log"));
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if ((await Command.Try("ip", null, "netns", "exec", Namespace, "ss", "-Htln", $"sport = :{ClientNamespace.IperfPort}")).Output.Contains("LISTEN"))
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException("iperf3 did not start listening");
    }

    /// <summary>The addresses requests came from, as the server logged them, less its own readiness probes.</summary>
    public async Task<IReadOnlyList<string>> RequestSourcesAsync() =>
        [.. (await File.ReadAllLinesAsync(LogPath)).Where(line => line.Contains("\"GET "))
            .Select(line => line.Split(' ')[0]).Where(source => source != Address)];

    public async ValueTask DisposeAsync() => await Cleanups.RunAllAsync(
    [
        .. new[] { server, iperf }.OfType<ChildProcess>().Select<ChildProcess, Func<Task>>(process => async () => await process.DisposeAsync()),
        () => VethNamespace.DeleteAsync(Namespace, RootVeth),
        () => Task.Run(() => site.Delete(recursive: true)),
    ]);
}
