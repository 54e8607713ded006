using System.Globalization;
using System.Net.Http.Json;
using OrleansWg.TestStack;

namespace OrleansWg.Benchmarks;

/// <summary>
/// The node's resolver as a connected client meets it: a query's time through the tunnel, answered
/// from the resolver's cache and not (a name new each time, which the resolver asks its upstream),
/// beside the same queries sent by the node straight to that upstream; the queries a second one
/// client gets answered (the per-container rate limit raised out of the way); and the resolver's
/// memory before and after a blocklist of 100,000 names.
/// </summary>
public static class DnsBenchmarks
{
    private const string Zone = "bench.example";
    private const int Queries = 300;
    private const int BlocklistNames = 100_000;

    public sealed record Figures(
        Latencies TunnelCached, Latencies TunnelUncached, Latencies DirectCached, Latencies DirectUncached, double AnsweredPerSecond,
        double ResidentMiB, double ResidentWithBlocklistMiB);

    public static async Task<Figures> RunAsync()
    {
        await using var plane = await ControlPlane.StartAsync(new Dictionary<string, string> { ["Node__DnsQueriesPerSecond"] = "100000" });
        await using var internet = await InternetHost.CreateAsync();
        await using var upstream = await internet.StartDnsAsync(Zone, $"www.{Zone}");
        (await plane.Admin.PutAsJsonAsync("/v1/admin/dns", new { upstreams = new[] { internet.Address }, dnssec = false })).EnsureSuccessStatusCode();
        await plane.CreateUser("resolver");
        var session = await plane.Connect("resolver");
        await using var client = await ClientNamespace.CreateAsync(ControlPlane.NodeAddresses);
        var resolver = session.GetProperty("dns")[0].GetString()!;
        await client.BringUpAsync(session.GetProperty("config").GetString()!, session.GetProperty("address").GetString()!, resolver);
        await Until(async () => (await Probe(client, resolver, "cached", 1))[0] < 1000);

        var tunnelCached = new Latencies("DNS query through the tunnel, cached", await Probe(client, resolver, "cached", Queries));
        var tunnelUncached = new Latencies("DNS query through the tunnel, a new name each (asks the upstream)", await Probe(client, resolver, "uncached", Queries));
        var directCached = new Latencies("the same query from the node straight to the upstream", await Probe(null, internet.Address, "cached", Queries));
        var directUncached = new Latencies("a new name each from the node straight to the upstream", await Probe(null, internet.Address, "uncached", Queries));
        var answered = double.Parse((await Run(client, ["python3", "-c", ThroughputScript, resolver, $"www.{Zone}", "3", "64"])).Trim(), CultureInfo.InvariantCulture);

        var resident = await ResolverResidentMiB(plane);
        var blocklist = string.Join('\n', Enumerable.Range(0, BlocklistNames).Select(i => $"0.0.0.0 ad{i}.tracker{i % 97}.example"));
        (await plane.Admin.PutAsync("/v1/admin/dns/blocklist", new StringContent(blocklist))).EnsureSuccessStatusCode();
        // Applied once a listed name is NXDOMAIN through the tunnel.
        await Until(async () => (await Run(client, ["python3", "-c", RcodeScript, resolver, $"ad{BlocklistNames - 1}.tracker{(BlocklistNames - 1) % 97}.example"])).Trim() == "3");
        var withBlocklist = await ResolverResidentMiB(plane);
        return new Figures(tunnelCached, tunnelUncached, directCached, directUncached, answered, resident, withBlocklist);
    }

    /// <summary>The milliseconds of each of <paramref name="count"/> queries, one after the other, from the client's namespace (or the node's, when null).</summary>
    private static async Task<double[]> Probe(ClientNamespace? client, string server, string mode, int count) =>
        [.. (await Run(client, ["python3", "-c", LatencyScript, server, Zone, mode, $"{count}"]))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(value => double.Parse(value, CultureInfo.InvariantCulture))];

    private static async Task<string> Run(ClientNamespace? client, string[] command) =>
        client is null ? await Command.Run(command[0], command[1..]) : (await client.TryAsync(null, command)).Output;

    /// <summary>The resident memory of the first node's unbound, by the pid file its resolver keeps.</summary>
    private static async Task<double> ResolverResidentMiB(ControlPlane plane)
    {
        var pid = (await File.ReadAllTextAsync(Path.Combine(plane.Nodes[0].StateDirectory, $"{plane.ServerId}.resolver", "unbound.pid"))).Trim();
        var line = (await File.ReadAllLinesAsync($"/proc/{pid}/status")).Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    private static async Task Until(Func<Task<bool>> condition)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the DNS benchmark waited a minute for its resolver");
    }

    // A query for NAME over UDP; its answer's id must match. Shared by the scripts below.
    private const string QueryFunctions = """
        import random, socket, struct, sys, time
        def query(name, ident):
            question = b"".join(bytes([len(label)]) + label.encode() for label in name.split(".")) + b"\0\0\1\0\1"
            return struct.pack(">HHHHHH", ident, 0x0100, 1, 0, 0, 0) + question
        def ask(sock, server, name):
            ident = random.randrange(65536)
            sock.sendto(query(name, ident), (server, 53))
            while True:
                answer = sock.recv(4096)
                if struct.unpack(">H", answer[:2])[0] == ident:
                    return answer

        """;

    // SERVER ZONE cached|uncached COUNT: the milliseconds of each query, one at a time (www.ZONE, or a new name each).
    private const string LatencyScript = QueryFunctions + """
        server, zone, mode, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.settimeout(2)
        run = random.randrange(10**9)
        times = []
        for i in range(count):
            name = "www." + zone if mode == "cached" else "n%d-%d.%s" % (run, i, zone)
            started = time.perf_counter()
            ask(sock, server, name)
            times.append((time.perf_counter() - started) * 1000)
        print(" ".join("%.3f" % t for t in times))
        """;

    // SERVER NAME: the answer's rcode (3: NXDOMAIN).
    private const string RcodeScript = QueryFunctions + """
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.settimeout(2)
        print(ask(sock, sys.argv[1], sys.argv[2])[3] & 0xF)
        """;

    // SERVER NAME SECONDS IN_FLIGHT: answers a second, with up to IN_FLIGHT queries outstanding.
    private const string ThroughputScript = QueryFunctions + """
        import select
        server, name, seconds, depth = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.setblocking(False)
        outstanding, answered, ident = 0, 0, 0
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            while outstanding < depth:
                ident = (ident + 1) & 0xFFFF
                sock.sendto(query(name, ident), (server, 53))
                outstanding += 1
            if select.select([sock], [], [], 0.05)[0]:
                while True:
                    try:
                        sock.recv(4096)
                    except BlockingIOError:
                        break
                    answered += 1
                    outstanding -= 1
            else:
                outstanding = 0
        print("%.1f" % (answered / seconds))
        """;
}
