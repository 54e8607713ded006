using Orleans.Configuration;

namespace OrleansWg.Grains.Servers;

/// <summary>
/// A server's waits for its node end inside Orleans' response timeout (Messaging:ResponseTimeout),
/// so that a slow node is an answer the server gives, not a timeout its caller meets.
/// </summary>
public sealed class NodeCallsFitResponseTimeout(IOptions<SiloMessagingOptions> messaging) : IValidateOptions<PlacementOptions>
{
    public ValidateOptionsResult Validate(string? name, PlacementOptions options)
    {
        var responseTimeout = messaging.Value.ResponseTimeout;
        var failures = new (string Setting, TimeSpan Wait)[]
            {
                ("Placement:NodeCallTimeout", options.NodeCallTimeout),
                ("Placement:ContainerStartTimeout", options.ContainerStartTimeout),
            }
            .Where(wait => wait.Wait >= responseTimeout)
            .Select(wait => $"{wait.Setting} ({wait.Wait:c}) must be shorter than Orleans' Messaging:ResponseTimeout ({responseTimeout:c})")
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
