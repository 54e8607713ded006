using System.Text.RegularExpressions;
using OrleansWg.NodeHost.Docker;

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
        var shortfalls = HostLimits.Shortfalls(HostLimits.Containers(new NodeOptions { Capacity = 2_000 }), key => DebianDefaults[key]).ToList();

        Assert.Equal(4, shortfalls.Count);
        Assert.Contains(shortfalls, line => line.StartsWith("net.core.netdev_max_backlog is 1000, less than the 2110 that 1055 containers need: an ARP request", StringComparison.Ordinal));
    }

    [Fact]
    public void The_settings_scripts_make_suffice_for_the_most_containers_a_node_runs_and_an_unreadable_one_is_not_checked()
    {
        var most = HostLimits.Containers(new NodeOptions { Capacity = 100_000 });

        Assert.Empty(HostLimits.Shortfalls(most, key => ScriptsSettings[key]));
        Assert.Empty(HostLimits.Shortfalls(most, _ => null));
    }

    [Fact]
    public void A_small_node_needs_only_more_inotify_instances_than_a_hosts_default()
    {
        var shortfalls = HostLimits.Shortfalls(HostLimits.Containers(new NodeOptions()), key => DebianDefaults[key]);

        Assert.StartsWith("fs.inotify.max_user_instances is 128, less than the 260", Assert.Single(shortfalls), StringComparison.Ordinal);
    }
}
