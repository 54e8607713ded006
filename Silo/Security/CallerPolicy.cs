using OrleansWg.Hosting;

namespace OrleansWg.Silo.Security;

/// <summary>Which grain calls a role may make: silos and the Gateway any; a node only register as its own server, say it is alive, read its DNS policy and renew its certificate.</summary>
public static class CallerPolicy
{
    /// <summary>
    /// Orleans' own calls that carry no credential: the grain-type manifest every client reads as it
    /// joins (metadata only, and only members with the CA's certificate reach a silo at all), and
    /// grain-timer ticks, which an activation posts to itself.
    /// </summary>
    private static readonly HashSet<string> OrleansInternals = ["Orleans.Runtime.IClusterManifestSystemTarget", "IGrainTimerInvoker"];

    public static bool Allows(CallerRole? caller, string interfaceName, Type? grainInterface, string methodName, string grainKey) => caller switch
    {
        _ when OrleansInternals.Contains(interfaceName) => true,
        { Role: CallerRole.Silo or CallerRole.Gateway } => true,
        { Role: CallerRole.Node, ServerId: { } serverId } =>
            grainInterface == typeof(IServerGrain) && methodName is nameof(IServerGrain.Register) or nameof(IServerGrain.NodeAlive) or nameof(IServerGrain.Leave) or nameof(IServerGrain.GetDnsPolicy)
                or nameof(IServerGrain.RenewCertificate)
            && grainKey == serverId,
        _ => false,
    };
}
