namespace OrleansWg.TestStack;

/// <summary>
/// A real DNS server of the test's own (Debian's unbound, with no recursion and no forwarding):
/// it answers for one zone from the records it is given, REFUSED for every other name, so no
/// query it takes ever leaves the machine. Run inside a namespace the test made, on an address of
/// it; it counts the queries it receives.
/// </summary>
public sealed class DnsServer : IAsyncDisposable
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("owg-dns-");
    private ChildProcess? process;

    private DnsServer(string address) => Address = address;

    public string Address { get; }

    private string ConfigPath => Path.Combine(directory.FullName, "unbound.conf");

    /// <param name="records">Names in <paramref name="zone"/> and the IPv4 address each has.</param>
    public static async Task<DnsServer> StartAsync(string netns, string address, string zone, IReadOnlyDictionary<string, string> records)
    {
        var server = new DnsServer(address);
        try
        {
            await File.WriteAllTextAsync(server.ConfigPath, string.Join('\n',
            [
                "server:",
                "  username: \"\"",
                "  chroot: \"\"",
                $"  directory: \"{server.directory.FullName}\"",
                "  pidfile: \"\"",
                "  use-syslog: no",
                "  logfile: \"\"",
                $"  interface: {address}",
                "  access-control: 0.0.0.0/0 allow",
                "  module-config: \"iterator\"",
                "  extended-statistics: yes",
                // Every name outside the zone is refused: nothing is ever looked up elsewhere.
                "  local-zone: \".\" refuse",
                $"  local-zone: \"{zone}.\" static",
                .. records.Select(record => $"  local-data: \"{record.Key}. 60 IN A {record.Value}\""),
                "remote-control:",
                "  control-enable: yes",
                $"  control-interface: \"{Path.Combine(server.directory.FullName, "control.sock")}\"",
                "  control-use-cert: no",
                "",
            ]));
            server.process = ChildProcess.Start("ip", ["netns", "exec", netns, "unbound", "-d", "-c", server.ConfigPath],
                new Dictionary<string, string>(), Repository.LogPath($"dns-{netns}-{address}.log"));
            for (var attempt = 0; attempt < 100; attempt++)
            {
                if ((await Command.Try("unbound-control", null, "-c", server.ConfigPath, "status")).ExitCode == 0)
                {
                    return server;
                }

                await Task.Delay(100);
            }

            throw new InvalidOperationException($"the test DNS server on {address} did not start");
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>How many queries it has received since it started.</summary>
    public async Task<long> QueriesAsync()
    {
        var report = await Command.Run("unbound-control", "-c", ConfigPath, "stats_noreset");
        return report.Split('\n').Select(line => line.Split('=')).Where(pair => pair is ["total.num.queries", _])
            .Select(pair => long.Parse(pair[1], System.Globalization.CultureInfo.InvariantCulture)).Single();
    }

    public async ValueTask DisposeAsync() => await Cleanups.RunAllAsync(
        async () =>
        {
            if (process is not null)
            {
                await process.DisposeAsync();
            }
        },
        () => Task.Run(() => directory.Delete(recursive: true)));
}
