using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using OrleansWg.Hosting;

namespace OrleansWg.NodeHost.Enrollment;

/// <summary>
/// Where a node's cluster identity comes from, before it joins: files made on the operator's machine
/// (Cluster:Tls:*), else its own enrolled identity in its state directory, enrolling first with its
/// join token when it has none, or when the one it has expired while it was stopped.
/// </summary>
public static class NodeIdentitySource
{
    /// <returns>The identity, and its files when it is the node's enrolled one (which it renews).</returns>
    public static async Task<(ClusterIdentity Identity, NodeIdentityFiles? Enrolled)> LoadAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        var tls = configuration.GetSection($"{ClusterSettings.Section}:Tls").Get<ClusterTlsSettings>() ?? new ClusterTlsSettings();
        if (tls.Certificate.Length > 0)
        {
            return (ClusterIdentity.Load(tls), null);
        }

        var node = configuration.GetSection(NodeOptions.Section).Get<NodeOptions>() ?? new NodeOptions();
        var files = new NodeIdentityFiles(node.StateDirectory, node.ServerId);
        using var logging = LoggerFactory.Create(builder => builder.AddConsole());
        var logger = logging.CreateLogger(typeof(NodeIdentitySource));
        var identity = files.Exist ? files.Load() : null;
        var expired = identity?.Certificate.NotAfter.ToUniversalTime() <= DateTime.UtcNow;
        if (identity is null || (expired && node.JoinToken.Length > 0))
        {
            await NodeEnrollmentClient.EnrollAsync(node, files, logger, cancellationToken);
            return (files.Load(), files);
        }

        if (expired)
        {
            logger.LogError("Node {ServerId}'s certificate has expired: an admin gives it a new join token (POST /v1/admin/servers/{ServerId}/join-token) for Node:JoinToken",
                node.ServerId, node.ServerId);
        }

        return (identity, files);
    }
}
