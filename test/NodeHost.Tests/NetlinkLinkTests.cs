using System.Diagnostics;
using System.Net;
using OrleansWg.NodeHost.Netlink;

namespace OrleansWg.NodeHost.Tests;

/// <summary>Route and generic netlink against this machine's kernel, inside namespaces of the test's own.</summary>
public sealed class NetlinkLinkTests : IDisposable
{
    private readonly string first = $"owgnl-{Guid.NewGuid():N}"[..14];
    private readonly string second = $"owgnl-{Guid.NewGuid():N}"[..14];

    public NetlinkLinkTests()
    {
        Ip($"netns add {first}");
        Ip($"netns add {second}");
    }

    public void Dispose()
    {
        Ip($"netns del {first}", check: false);
        Ip($"netns del {second}", check: false);
    }

    [Fact]
    public void The_controller_family_is_found_by_name_and_an_unknown_family_is_not()
    {
        using var socket = NetlinkSocket.Open(NetlinkProtocol.Generic);

        Assert.Equal(GenericNetlink.ControllerFamily, GenericNetlink.FindFamily(socket, "nlctrl"));
        Assert.Null(GenericNetlink.FindFamily(socket, "owgnofamily"));
    }

    [Fact]
    public void A_link_made_in_one_namespace_is_moved_renamed_addressed_brought_up_and_deleted_in_another()
    {
        using var there = NetlinkSocket.OpenIn($"/run/netns/{first}", NetlinkProtocol.Route);
        NetworkLinks.Create(there, "owgtest0", "veth");
        var made = NetworkLinks.Find(there, "owgtest0");
        Assert.Equal("veth", made?.Kind);

        NetworkLinks.MoveTo(there, made!.Index, $"/run/netns/{second}", "moved0");
        Assert.Null(NetworkLinks.Find(there, "owgtest0"));

        using var here = NetlinkSocket.OpenIn($"/run/netns/{second}", NetlinkProtocol.Route);
        var moved = NetworkLinks.Find(here, "moved0")!;
        NetworkLinks.AddAddress(here, moved.Index, IPAddress.Parse("198.18.99.1"), 24);
        NetworkLinks.AddAddress(here, moved.Index, IPAddress.Parse("198.18.99.1"), 24);
        NetworkLinks.SetUp(here, moved.Index);

        Assert.Contains("inet 198.18.99.1/24", Ip($"-n {second} address show moved0"));
        Assert.True(NetworkLinks.Find(here, "moved0")!.IsUp);
        NetworkLinks.Delete(here, moved.Index);
        Assert.Null(NetworkLinks.Find(here, "moved0"));
    }

    [Fact]
    public void A_link_of_a_kind_the_kernel_lacks_is_refused_as_not_supported()
    {
        using var socket = NetlinkSocket.OpenIn($"/run/netns/{first}", NetlinkProtocol.Route);

        var refusal = Assert.Throws<NetlinkException>(() => NetworkLinks.Create(socket, "owgtest1", "owg-no-such-kind"));

        Assert.True(refusal.Is(Errno.NotSupported), refusal.Message);
    }

    [Fact]
    public void A_taken_name_is_refused_as_existing()
    {
        using var socket = NetlinkSocket.OpenIn($"/run/netns/{first}", NetlinkProtocol.Route);
        NetworkLinks.Create(socket, "owgtest2", "veth");

        Assert.True(Assert.Throws<NetlinkException>(() => NetworkLinks.Create(socket, "owgtest2", "veth")).Is(Errno.Exists));
    }

    [Fact]
    public void A_socket_opened_in_a_namespace_sees_that_namespaces_links_only()
    {
        using (var there = NetlinkSocket.OpenIn($"/run/netns/{first}", NetlinkProtocol.Route))
        {
            NetworkLinks.Create(there, "owgtest3", "veth");
        }

        using var node = NetlinkSocket.Open(NetlinkProtocol.Route);
        Assert.Null(NetworkLinks.Find(node, "owgtest3"));
        using var again = NetlinkSocket.OpenIn($"/run/netns/{first}", NetlinkProtocol.Route);
        Assert.NotNull(NetworkLinks.Find(again, "owgtest3"));
    }

    [Fact]
    public void Work_run_in_a_namespace_runs_there()
    {
        static string CurrentNamespace() => new FileInfo("/proc/thread-self/ns/net").LinkTarget!;
        var firstInode = Run("stat", $"-L -c %i /run/netns/{first}").Trim();

        Assert.Equal($"net:[{firstInode}]", NetworkNamespace.Run($"/run/netns/{first}", CurrentNamespace));
    }

    [Fact]
    public void A_namespace_worked_in_goes_away_when_it_is_deleted()
    {
        // A veth between the two namespaces: its end in the second goes when the first namespace goes.
        Ip($"-n {first} link add owgtest4 type veth peer name owgtest5 netns {second}");
        NetlinkSocket.OpenIn($"/run/netns/{first}", NetlinkProtocol.Route).Dispose();

        Ip($"netns del {first}");

        // Looked at by ip(8), not through a socket of ours, which would take the worker elsewhere.
        bool Remains() => Ip($"-n {second} -brief link show", check: false).Contains("owgtest5", StringComparison.Ordinal);
        for (var look = 0; look < 50 && Remains(); look++)
        {
            Thread.Sleep(100);
        }

        Assert.False(Remains());
    }

    private static string Ip(string arguments, bool check = true) => Run("ip", arguments, check);

    private static string Run(string program, string arguments, bool check = true)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit(10_000);
        return !check || process.ExitCode == 0 ? output : throw new InvalidOperationException($"{program} {arguments}: {output}");
    }
}
