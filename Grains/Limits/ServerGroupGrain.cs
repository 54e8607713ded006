using Microsoft.Extensions.Logging;
using OrleansWg.Grains.Dns;

namespace OrleansWg.Grains.Limits;

public sealed class ServerGroupGrain(
    [PersistentState("group", StorageNames.Default)] IPersistentState<ServerGroupState> state,
    IOptions<DnsOptions> dnsOptions,
    ILogger<ServerGroupGrain> logger) : Grain, IServerGroupGrain
{
    // The policy in force, as last read: read at every server's refresh and recheck, and by every node that applies it.
    private GroupDns? effective;

    private string Group => this.GetPrimaryKeyString();

    private bool IsClusterDefault => Group == IServerGroupGrain.ClusterDefault;

    public Task<BandwidthLimit?> GetLimit() => Task.FromResult(state.State.Limit);

    public async Task SetLimit(BandwidthLimit? limit)
    {
        state.State.Limit = BandwidthLimit.OrNull(limit);
        await state.WriteStateAsync();
        logger.LogInformation("Group {Group} has bandwidth limit {Limit}", Group, state.State.Limit);
        await RefreshServers();
    }

    public Task<GroupLoginPolicy> GetLoginPolicy() => Task.FromResult(new GroupLoginPolicy(state.State.RequiresMfa, state.State.RequiresSso));

    public async Task SetRequiresMfa(bool required)
    {
        state.State.RequiresMfa = required;
        await state.WriteStateAsync();
        logger.LogInformation("Group {Group} {Requires} MFA", Group, required ? "requires" : "does not require");
    }

    public async Task SetRequiresSso(bool required)
    {
        state.State.RequiresSso = required;
        await state.WriteStateAsync();
        logger.LogInformation("Group {Group} {Requires} single sign-on", Group, required ? "requires" : "does not require");
    }

    public async Task<GroupDns> GetDns()
    {
        if (IsClusterDefault)
        {
            var settings = dnsOptions.Value.ToPolicy();
            return effective ??= Effective((state.State.Dns ?? settings).Over(settings), inherited: state.State.Dns is null,
                upstreamsInherited: state.State.Dns is not { Upstreams.IsDefaultOrEmpty: false });
        }

        if (state.State.Dns is not { } own)
        {
            return (await ClusterDefault()) with { Inherited = true, Group = Group };
        }

        if (!own.Upstreams.IsDefaultOrEmpty)
        {
            return effective ??= Effective(own, inherited: false, upstreamsInherited: false);
        }

        // The default's upstreams: its policy is the same object until it changes, so a stamp is made once a change.
        var upstreams = (await ClusterDefault()).Policy.Upstreams;
        if (effective is null || effective.Policy.Upstreams != upstreams)
        {
            effective = Effective(own with { Upstreams = upstreams }, inherited: false, upstreamsInherited: true);
        }

        return effective;
    }

    public async Task<SessionDns> GetSessionDns() => (await GetDns()).ForSessions;

    /// <summary>The policy with its stamp: a hash of all its names, made once for each change rather than for each read.</summary>
    private GroupDns Effective(DnsPolicy policy, bool inherited, bool upstreamsInherited) => new(policy, policy.Stamp(), inherited, Group, upstreamsInherited);

    private Task<GroupDns> ClusterDefault() => GrainFactory.GetGrain<IServerGroupGrain>(IServerGroupGrain.ClusterDefault).GetDns();

    public Task SetDns(DnsPolicy? policy) => ChangeDns(policy is null ? null : policy with { Blocklist = state.State.Dns?.Blocklist ?? [] });

    public Task SetBlocklist(ImmutableArray<string> names) => ChangeDns((state.State.Dns ?? DnsPolicy.Empty) with { Blocklist = names });

    private async Task ChangeDns(DnsPolicy? policy)
    {
        state.State.Dns = policy;
        effective = null;
        await state.WriteStateAsync();
        logger.LogInformation("Group {Group} has DNS policy {Policy}", Group, policy?.ToString() ?? "of the cluster default");
        await RefreshServers();
    }

    /// <summary>Has the servers this group's settings reach apply them: the group's, or every server for the cluster default.</summary>
    private async Task RefreshServers()
    {
        // A server that misses this (its silo died just now) reads the group again on a heartbeat within a minute.
        var servers = (await GrainFactory.GetGrain<IServerDirectoryGrain>(0).List())
            .Where(server => IsClusterDefault || server.Group == Group).Select(server => GrainFactory.GetGrain<IServerGrain>(server.Id)).ToList();
        await Task.WhenAll(servers.Select(server => server.RefreshGroup()));
        // The settings hold on the nodes when the admin's call returns.
        await Task.WhenAll(servers.Select(server => server.AwaitNode()));
    }
}

[GenerateSerializer, Alias("owg.ServerGroupState")]
public sealed record ServerGroupState
{
    [Id(0)] public BandwidthLimit? Limit { get; set; }

    /// <summary>The group's own DNS policy; null: the cluster default's applies.</summary>
    [Id(1)] public DnsPolicy? Dns { get; set; }

    /// <summary>Whether the users permitted on the group's servers must connect with a one-time code.</summary>
    [Id(2)] public bool RequiresMfa { get; set; }

    /// <summary>Whether the users permitted on the group's servers must log in by single sign-on.</summary>
    [Id(3)] public bool RequiresSso { get; set; }
}
