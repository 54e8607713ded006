namespace OrleansWg.TestStack;

/// <summary>
/// tcpdump on a client namespace's link to the world (its veth), keeping every IP packet that is
/// not WireGuard's own UDP: while a full tunnel is up, anything it keeps went beside the tunnel.
/// </summary>
public sealed class UnderlayCapture : IAsyncDisposable
{
    private readonly string file = Path.Combine(Directory.CreateTempSubdirectory("owg-capture-").FullName, "beside.pcap");
    private readonly ClientNamespace client;
    private ChildProcess? tcpdump;

    private UnderlayCapture(ClientNamespace client) => this.client = client;

    public static async Task<UnderlayCapture> StartAsync(ClientNamespace client)
    {
        var capture = new UnderlayCapture(client);
        var port = (await client.TryAsync(null, "wg", "show", client.Interface, "endpoints")).Output.Trim().Split(':')[^1];
        // IPv6's own neighbour, router and multicast listener messages are the link's, not the
        // client's traffic. Listener reports come after a hop-by-hop header, which "icmp6" does not
        // see through, so everything to the link's own multicast scope is left out too.
        capture.tcpdump = ChildProcess.Start("ip",
            ["netns", "exec", client.Namespace, "tcpdump", "-i", client.UnderlayInterface, "-n", "-U", "-w", capture.file,
                $"(ip or ip6) and not (udp port {port}) and not icmp6 and not (ip6 and dst net ff02::/16)"],
            new Dictionary<string, string>(), Repository.LogPath($"{client.Namespace}-tcpdump.log"));
        for (var attempt = 0; attempt < 50 && !File.Exists(capture.file); attempt++)
        {
            await Task.Delay(100);
        }

        // tcpdump writes the file's header once it listens.
        await Task.Delay(300);
        return capture;
    }

    /// <returns>The packets that went beside the tunnel, one line each as tcpdump reads them.</returns>
    public async Task<IReadOnlyList<string>> StopAsync()
    {
        await tcpdump!.StopAsync(TimeSpan.FromSeconds(5));
        var read = await Command.Try("tcpdump", null, "-n", "-r", file);
        return [.. read.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    public async ValueTask DisposeAsync() => await Cleanups.RunAllAsync(
        async () =>
        {
            if (tcpdump is not null)
            {
                await tcpdump.DisposeAsync();
            }
        },
        () => Task.Run(() => Directory.Delete(Path.GetDirectoryName(file)!, recursive: true)));
}
