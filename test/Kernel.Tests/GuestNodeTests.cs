using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrleansWg.TestStack;

namespace OrleansWg.Kernel.Tests;

/// <summary>
/// A whole connect on the kernel's WireGuard: the control plane on this host, a NodeHost in a guest
/// booted from Debian's kernel (scripts/guest.sh) that joins it through forwarded ports and picks the
/// kernel by itself, and a client in the guest fetching a page from this host through the user's container.
/// </summary>
public sealed class GuestNodeTests
{
    // The guest's network: the Gateway, the silo's gateway and the page are at .1, the guest is .15.
    private const string HostSide = "198.18.9.1";
    private const string GuestAddress = "198.18.9.15";
    private const string Server = "guest-kernel";
    private const string Password = "correct horse battery";
    private const string PageBody = "from the host through the kernel's WireGuard";
    private static readonly TimeSpan GuestRun = TimeSpan.FromMinutes(15);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_user_connects_through_a_NodeHost_that_chose_the_kernels_WireGuard_in_a_guest_and_fetches_a_page_through_the_tunnel()
    {
        Assert.SkipUnless(Environment.GetEnvironmentVariable("OWG_GUEST_CONNECT") == "1",
            "boots a guest with a NodeHost in it: scripts/test.sh runs it after the guest's own tests (OWG_GUEST_CONNECT=1)");
        await using var plane = await ControlPlane.StartAsync(new Dictionary<string, string>
        {
            // The node runs under emulation, some twenty times slower: its pushes, signals and connects take longer.
            ["Placement__NodeCallTimeout"] = "00:00:25",
            ["Placement__NodeDownAfter"] = "00:00:30",
            ["Placement__NodeRestartGrace"] = "00:01:00",
            ["Gateway__ConnectAttemptTimeout"] = "00:00:55",
            ["Gateway__ConnectTimeout"] = "00:01:00",
            // A client calls the silo by the address it reached its gateway at: the silo must have that address as its own.
            ["Silo__AdvertisedAddress"] = HostSide,
        }, nodes: 0, gatewayHost: HostSide);
        using var page = PageServer.Start(IPAddress.Loopback, PageBody);
        var exchange = Directory.CreateTempSubdirectory("owg-guest-exchange-");
        try
        {
            (await plane.Admin.PutAsJsonAsync($"/v1/admin/servers/{Server}", new { capacity = 10, publicAddress = GuestAddress }, Cancel)).EnsureSuccessStatusCode();
            Assert.Equal(HttpStatusCode.Created, (await plane.Admin.PostAsJsonAsync("/v1/admin/users", new { username = "kim", password = Password }, Cancel)).StatusCode);
            var siloGateway = int.Parse(plane.SiloGateways.Single().Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
            var gatewayHttps = new Uri(plane.GatewayUrlForClients).Port;
            File.Copy(plane.GatewayCertificate, Path.Combine(exchange.FullName, "web.pem"));
            await WriteSettingsAsync(exchange, "node.env", new Dictionary<string, string>
            {
                ["Cluster__ClusterId"] = plane.ClusterId,
                ["Cluster__Gateways__0"] = $"{HostSide}:{siloGateway}",
                ["Node__EnrollUrl"] = $"https://{HostSide}:{gatewayHttps}",
                ["Node__GatewayCertificate"] = "/mnt/exchange/web.pem",
                ["Node__JoinToken"] = await plane.JoinTokenAsync(Server),
                ["Node__ServerId"] = Server,
                ["Node__PublicAddress"] = GuestAddress,
                ["Node__ContainerSubnet"] = "198.18.45.0/24",
                ["Node__PortMin"] = "51000",
                ["Node__PortMax"] = "51009",
                ["Node__StateDirectory"] = "/tmp/owg-nodes",
                // The guest has no unbound: the page is fetched by address.
                ["Node__Resolver"] = "",
                ["Node__ShimCgroup"] = "",
                ["Node__WarmPoolSize"] = "1",
                ["Node__WarmPoolMax"] = "1",
            });
            using var guest = StartGuest(exchange.FullName, $"{HostSide}:{siloGateway}={HostSide}:{siloGateway}",
                $"{HostSide}:{gatewayHttps}={HostSide}:{gatewayHttps}", $"{HostSide}:{page.Port}=127.0.0.1:{page.Port}");

            var server = await WaitForNodeAsync(plane, guest, Path.Combine(exchange.FullName, "nodehost.log"));
            var (clientKey, clientPublicKey) = WireGuardKey.CreatePair();
            // The node's first convergence under emulation (its code compiled as it first runs, its
            // warm container started) can outlast a connect: a user would try again, and so does the test.
            HttpResponseMessage connect;
            var attempts = 0;
            do
            {
                connect = await plane.Http.PostAsJsonAsync("/v1/connect", new { username = "kim", password = Password, publicKey = clientPublicKey }, Cancel);
                if (connect.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    await Task.Delay(TimeSpan.FromSeconds(15), Cancel);
                }
            }
            while (connect.StatusCode == HttpStatusCode.ServiceUnavailable && ++attempts < 6);
            Assert.True(connect.IsSuccessStatusCode, await connect.Content.ReadAsStringAsync(Cancel));
            var session = await connect.Content.ReadFromJsonAsync<JsonElement>(Cancel);
            await WriteSettingsAsync(exchange, "client.env", new Dictionary<string, string>
            {
                ["CLIENT_PRIVATE_KEY"] = clientKey,
                ["CLIENT_ADDRESS"] = session.GetProperty("address").GetString()!,
                ["SERVER_PUBLIC_KEY"] = session.GetProperty("serverPublicKey").GetString()!,
                ["ENDPOINT"] = session.GetProperty("endpoint").GetString()!,
                ["PAGE_ADDRESS"] = HostSide,
                ["PAGE_URL"] = $"http://{HostSide}:{page.Port}/",
            });
            var (exitCode, output) = await guest.EndAsync();

            Assert.Equal("kernel", server.GetProperty("wireGuard").GetString());
            Assert.StartsWith($"{GuestAddress}:", session.GetProperty("endpoint").GetString(), StringComparison.Ordinal);
            Assert.True(exitCode == 0, output);
            Assert.Contains($"page: {PageBody}", output);
        }
        finally
        {
            exchange.Delete(recursive: true);
        }
    }

    /// <summary>The server's view once its node in the guest is up; skips the test when the guest could not run.</summary>
    private static async Task<JsonElement> WaitForNodeAsync(ControlPlane plane, Guest guest, string nodeLog)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(6);
        while (DateTime.UtcNow < deadline)
        {
            var up = (await plane.Admin.GetFromJsonAsync<JsonElement[]>("/v1/admin/servers", Cancel))!
                .FirstOrDefault(server => server.GetProperty("id").GetString() == Server && server.GetProperty("status").GetString() == "up");
            if (up.ValueKind == JsonValueKind.Object)
            {
                return up;
            }

            if (guest.HasEnded)
            {
                var (exitCode, output) = await guest.EndAsync();
                Assert.SkipWhen(exitCode == 75, $"the guest did not run: {output.Split('\n').FirstOrDefault(line => line.StartsWith("not run: ", StringComparison.Ordinal))}");
                Assert.Fail($"the guest ended (exit code {exitCode}) before its node came up: {output}");
            }

            await Task.Delay(TimeSpan.FromSeconds(2), Cancel);
        }

        var lines = File.Exists(nodeLog) ? File.ReadAllLines(nodeLog) : ["none"];
        var log = string.Join('\n', lines.Take(40).Concat(["…"]).Concat(lines.TakeLast(10)));
        throw new TimeoutException($"the guest's node did not come up within 6 minutes; the guest's output: {guest.Output}\nthe node's log: {log}");
    }

    private static async Task WriteSettingsAsync(DirectoryInfo exchange, string name, Dictionary<string, string> settings)
    {
        // Written whole under another name and then renamed: the guest waits for the file and reads it at once.
        var path = Path.Combine(exchange.FullName, name);
        await File.WriteAllLinesAsync(path + ".new", settings.Select(setting => $"{setting.Key}='{setting.Value}'"), Cancel);
        File.Move(path + ".new", path);
    }

    private static Guest StartGuest(string exchange, params string[] forwards)
    {
        var start = new ProcessStartInfo("bash", "scripts/guest.sh run scripts/guest/node-connect.sh")
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["OWG_GUEST_FORWARDS"] = string.Join(' ', forwards);
        start.Environment["OWG_GUEST_EXCHANGE"] = exchange;
        start.Environment["OWG_GUEST_TIMEOUT"] = $"{(int)GuestRun.TotalSeconds}";
        return new Guest(Process.Start(start)!);
    }

    /// <summary>scripts/guest.sh running in the background, its output collected.</summary>
    private sealed class Guest : IDisposable
    {
        private readonly Process process;
        private readonly StringBuilder output = new();

        public Guest(Process process)
        {
            this.process = process;
            process.OutputDataReceived += (_, line) => Append(line.Data);
            process.ErrorDataReceived += (_, line) => Append(line.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public bool HasEnded => process.HasExited;

        public string Output
        {
            get
            {
                lock (output)
                {
                    return output.ToString();
                }
            }
        }

        public async Task<(int ExitCode, string Output)> EndAsync()
        {
            using var deadline = new CancellationTokenSource(GuestRun + TimeSpan.FromMinutes(1));
            await process.WaitForExitAsync(deadline.Token);
            return (process.ExitCode, Output);
        }

        public void Dispose()
        {
            if (!process.HasExited)
            {
                // guest.sh stops its qemu on TERM.
                Process.Start("kill", $"-TERM {process.Id}")?.WaitForExit(5_000);
                process.WaitForExit(30_000);
            }

            process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is not null)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }
            }
        }
    }
}
