using System.Text.RegularExpressions;
using OrleansWg.NodeHost.Docker;
using OrleansWg.NodeHost.WireGuard;

namespace OrleansWg.NodeHost.Tests;

public sealed class HostLimitsTests
{
    private static readonly Dictionary<string, long> DebianDefaults = new()
    {
        ["fs/inotify/max_user_instances"] = 128,
        ["kernel/pid_max"] = 32_768,
        ["net/core/netdev_max_backlog"] = 1_000,
        ["net/ipv4/neigh/default/gc_thresh3"] = 1_024,
    };

    /// <summary>What scripts/lib/docker.sh sets with sysctl where it starts dockerd, by path under /proc/sys.</summary>
    private static readonly Dictionary<string, long> ScriptsSettings = Regex
        .Matches(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docker.sh")), @"\b([a-z0-9_]+(?:\.[a-z0-9_]+)+)=(\d+)")
        .ToDictionary(setting => setting.Groups[1].Value.Replace('.', '/'), setting => long.Parse(setting.Groups[2].Value));

    [Fact]
    public void A_full_node_on_a_hosts_defaults_is_told_every_limit_it_would_hit_and_why()
    {
        var load = new ContainerLoad(HostLimits.Containers(new NodeOptions { Capacity = 2_000 }), WireGuardMode.Userspace, CgroupV2: true);

        var shortfalls = HostLimits.Shortfalls(load, key => DebianDefaults[key]).ToList();

        Assert.Equal(4, shortfalls.Count);
        Assert.Contains(shortfalls, line => line.StartsWith("net.core.netdev_max_backlog is 1000, less than the 2110 that 1055 containers need: an ARP request", StringComparison.Ordinal));
    }

    [Fact]
    public void The_settings_scripts_make_suffice_for_the_most_containers_a_node_runs_and_an_unreadable_one_is_not_checked()
    {
        var most = new ContainerLoad(HostLimits.Containers(new NodeOptions { Capacity = 100_000 }), WireGuardMode.Userspace, CgroupV2: true);

        Assert.Empty(HostLimits.Shortfalls(most, key => ScriptsSettings[key]));
        Assert.Empty(HostLimits.Shortfalls(most, _ => null));
    }

    [Fact]
    public void A_small_node_needs_only_more_inotify_instances_than_a_hosts_default()
    {
        var shortfalls = HostLimits.Shortfalls(new ContainerLoad(HostLimits.Containers(new NodeOptions()), WireGuardMode.Userspace, CgroupV2: false), key => DebianDefaults[key]);

        Assert.StartsWith("fs.inotify.max_user_instances is 128, less than the 260", Assert.Single(shortfalls), StringComparison.Ordinal);
    }

    [Fact]
    public void A_full_kernel_node_on_cgroup_v1_needs_neither_more_inotify_instances_nor_more_process_ids_than_a_hosts_defaults()
    {
        var load = new ContainerLoad(HostLimits.Containers(new NodeOptions { Capacity = 2_000 }), WireGuardMode.Kernel, CgroupV2: false);

        var shortfalls = HostLimits.Shortfalls(load, key => DebianDefaults[key]).ToList();

        Assert.Equal(["net.core.netdev_max_backlog", "net.ipv4.neigh.default.gc_thresh3"], shortfalls.Select(line => line.Split(' ')[0]));
    }

    [Fact]
    public void A_kernel_node_on_cgroup_v2_needs_an_inotify_instance_for_each_containers_shim()
    {
        var load = new ContainerLoad(HostLimits.Containers(new NodeOptions()), WireGuardMode.Kernel, CgroupV2: true);

        var shortfall = Assert.Single(HostLimits.Shortfalls(load, key => DebianDefaults[key]));

        Assert.Equal("fs.inotify.max_user_instances is 128, less than the 260 that 132 containers need: every container's containerd shim takes an inotify instance on cgroup v2, all of them as root", shortfall);
    }
}
