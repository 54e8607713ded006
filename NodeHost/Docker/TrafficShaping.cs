using Docker.DotNet;
using Docker.DotNet.Models;

namespace OrleansWg.NodeHost.Docker;

/// <summary>
/// The bandwidth limits of a container's peers, set with tc inside the container by the session
/// image's <c>owg-shape</c>, run through Docker exec (tens of milliseconds) only when the limits
/// change or the container lost them by restarting. What is set is recorded beside the
/// container's directory, so a restarted node does not set it again.
/// </summary>
public sealed class TrafficShaping(IDockerClient docker, ILogger<TrafficShaping> logger)
{
    private const string ShapeCommand = "/usr/local/bin/owg-shape";

    /// <param name="restarted">The container started again since its limits were set: tc lost them.</param>
    public async Task ApplyAsync(SessionContainer container, IEnumerable<DesiredPeer> peers, bool restarted, CancellationToken cancellationToken)
    {
        var arguments = Arguments(peers);
        var wanted = string.Join(' ', arguments);
        var record = ContainerRecords.ShapingFile(container.UapiDirectory);
        var set = File.Exists(record) ? await File.ReadAllTextAsync(record, cancellationToken) : "";
        if (wanted == set && !(restarted && wanted.Length > 0))
        {
            return;
        }

        var exec = await docker.Exec.ExecCreateContainerAsync(container.Id, new ContainerExecCreateParameters
        {
            Cmd = [ShapeCommand, .. arguments],
            AttachStdout = true,
            AttachStderr = true,
        }, cancellationToken);
        using (var stream = await docker.Exec.StartAndAttachContainerExecAsync(exec.ID, tty: false, cancellationToken))
        {
            var (_, error) = await stream.ReadOutputToEndAsync(cancellationToken);
            if ((await docker.Exec.InspectContainerExecAsync(exec.ID, cancellationToken)).ExitCode != 0)
            {
                throw new InvalidOperationException($"owg-shape failed in {container.Name}: {error.Trim()}");
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(record)!);
        await File.WriteAllTextAsync(record, wanted, cancellationToken);
        logger.LogInformation("Set the bandwidth limits of {Container}: {Limits}", container.Name, wanted.Length > 0 ? wanted : "none");
    }

    /// <returns>ADDRESS DOWN_KBIT UP_KBIT of each limited peer, in a stable order; 0: that direction is free.</returns>
    public static IReadOnlyList<string> Arguments(IEnumerable<DesiredPeer> peers) =>
        [.. peers.Where(peer => peer.Limit is not null).OrderBy(peer => peer.AllowedIp, StringComparer.Ordinal)
            .SelectMany(peer => new[] { peer.AllowedIp, Kbit(peer.Limit!.DownMbps), Kbit(peer.Limit.UpMbps) })];

    private static string Kbit(int? mbps) => $"{(mbps ?? 0) * 1000}";
}
