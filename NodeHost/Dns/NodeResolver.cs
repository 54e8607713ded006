using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace OrleansWg.NodeHost.Dns;

/// <summary>
/// The node's resolver: one unbound, run by the node as its child and configured from the DNS
/// policy of the node's server group. Every user's container sends the queries its client sends to
/// the container's own tunnel address on to it (see docker/session/entrypoint.sh), so one address
/// serves every client on every node. The desired state names the policy by its stamp; when that
/// is not the one applied, the node asks its server for the policy, writes it and has unbound reload.
/// </summary>
public sealed class NodeResolver(IGrainFactory grains, ResolverStatistics statistics, IOptions<NodeOptions> options, ILogger<NodeResolver> logger)
    : BackgroundService
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan StatisticsPeriod = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ControlTimeout = TimeSpan.FromSeconds(10);

    private readonly Channel<bool> wanted = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
    private Process? unbound;
    private volatile string? appliedStamp;

    // The server's group as its policy last said: an admin may have put the server in another than its node's setting.
    private string appliedGroup = options.Value.Group;

    private NodeOptions Node => options.Value;

    private QueryLog? queries;

    /// <summary>The group's query log, when its policy asks for one, in the resolver's directory.</summary>
    public QueryLog Queries => queries ??= new QueryLog(Path.Combine(Site.Directory, "queries"), TimeProvider.System);

    public ResolverSite Site { get; } = new(
        // Absolute: unbound reads the file named here again on every reload, from the directory it moved to.
        Path.GetFullPath(Path.Combine(options.Value.StateDirectory, $"{options.Value.ServerId}.resolver")),
        options.Value.ResolverAddress, options.Value.ContainerSubnet, options.Value.DnsQueriesPerSecond, options.Value.ResolverCacheMegabytes);

    /// <summary>Told of every desired state the node receives: a policy it has not applied is fetched and applied, off the caller's path.</summary>
    public void Want(string? stamp)
    {
        if (stamp is null || stamp != appliedStamp)
        {
            wanted.Writer.TryWrite(true);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Node.Resolver.Length == 0)
        {
            logger.LogWarning("Node:Resolver is empty: this node runs no resolver, and its users' names resolve nowhere");
            return;
        }

        Directory.CreateDirectory(Site.Directory);
        await StopLeftoverAsync(stoppingToken);
        wanted.Writer.TryWrite(true);
        using var statisticsTimer = new PeriodicTimer(StatisticsPeriod);
        var reading = ReadStatisticsAsync(statisticsTimer, stoppingToken);
        await foreach (var _ in wanted.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await ApplyAsync(await grains.GetGrain<IServerGrain>(Node.ServerId).GetDnsPolicy().WaitAsync(Node.HeartbeatTimeout, stoppingToken), stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "The resolver could not take its group's DNS policy; trying again in {RetryAfter}", RetryAfter);
                await Task.Delay(RetryAfter, stoppingToken);
                wanted.Writer.TryWrite(true);
            }
        }

        await reading;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // Forgotten first: its exit is the node's doing, not one to start it again for.
        var stopping = unbound;
        unbound = null;
        if (stopping is { HasExited: false })
        {
            stopping.Kill();
            await stopping.WaitForExitAsync(cancellationToken);
        }

        stopping?.Dispose();
    }

    private async Task ApplyAsync(GroupDns dns, CancellationToken cancellationToken)
    {
        if (dns.Stamp == appliedStamp && unbound is { HasExited: false })
        {
            return;
        }

        Queries.Keep(dns.Policy.QueryLogDays);
        await WriteAtomicallyAsync(Site.BlocklistPath, UnboundConfig.RenderBlocklist(dns.Policy), cancellationToken);
        await WriteAtomicallyAsync(Site.ConfigPath, UnboundConfig.Render(Site, dns.Policy), cancellationToken);
        if (dns.Policy.Dnssec && !File.Exists(Site.TrustAnchorPath))
        {
            // unbound keeps the root's key up to date in this file (RFC 5011), starting from Debian's copy.
            File.Copy(Node.TrustAnchor, Site.TrustAnchorPath);
        }

        if (unbound is { HasExited: false } && await ControlAsync("reload") is not null)
        {
            logger.LogInformation("Resolver reloaded with DNS policy {Stamp}: {Policy}", dns.Stamp, dns.Policy);
        }
        else
        {
            await StartUnboundAsync(cancellationToken);
            logger.LogInformation("Resolver started on {Address}:53 with DNS policy {Stamp}: {Policy}", Site.ListenAddress, dns.Stamp, dns.Policy);
        }

        appliedStamp = dns.Stamp;
        appliedGroup = dns.Group;
    }

    /// <summary>Starts unbound, once the one before is gone, and waits until it answers on its control socket.</summary>
    private async Task StartUnboundAsync(CancellationToken cancellationToken)
    {
        if (unbound is { HasExited: false })
        {
            unbound.Kill();
            await unbound.WaitForExitAsync(cancellationToken);
        }

        unbound?.Dispose();
        var start = new ProcessStartInfo(Node.Resolver) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-d", "-c", Site.ConfigPath })
        {
            start.ArgumentList.Add(argument);
        }

        unbound = Process.Start(start) ?? throw new InvalidOperationException($"{Node.Resolver} did not start");
        var process = unbound;
        process.ErrorDataReceived += (_, line) => LogLine(line.Data);
        process.OutputDataReceived += (_, line) => LogLine(line.Data);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) =>
        {
            // One that dies is started again with the policy it had.
            if (ReferenceEquals(process, unbound))
            {
                logger.LogWarning("The resolver exited with {ExitCode}; starting it again", process.ExitCode);
                appliedStamp = null;
                wanted.Writer.TryWrite(true);
            }
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * (long)ControlTimeout.TotalSeconds;
        while (await ControlAsync("status") is null)
        {
            if (process.HasExited || Stopwatch.GetTimestamp() > deadline)
            {
                throw new InvalidOperationException($"the resolver did not come up within {ControlTimeout.TotalSeconds} s (exit code {(process.HasExited ? process.ExitCode : "none")})");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>
    /// Stops the resolver a NodeHost that was killed left behind (it would hold the address), known
    /// by its pid file and by the configuration it was started with.
    /// </summary>
    private async Task StopLeftoverAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Site.PidPath) || !int.TryParse((await File.ReadAllTextAsync(Site.PidPath, cancellationToken)).Trim(), out var pid))
        {
            return;
        }

        var commandLine = $"/proc/{pid}/cmdline";
        if (!File.Exists(commandLine) || !(await File.ReadAllTextAsync(commandLine, cancellationToken)).Contains(Site.ConfigPath, StringComparison.Ordinal))
        {
            return;
        }

        using var leftover = Process.GetProcessById(pid);
        logger.LogInformation("Stopping the resolver (pid {Pid}) a NodeHost before this one left running", pid);
        leftover.Kill();
        await leftover.WaitForExitAsync(cancellationToken).WaitAsync(ControlTimeout, cancellationToken);
    }

    /// <summary>unbound's own log: its queries to the query log, its errors as warnings, its notices (a start, a reload) for debugging.</summary>
    private void LogLine(string? line)
    {
        if (string.IsNullOrWhiteSpace(line) || Queries.TryWrite(line))
        {
            return;
        }

        var level = line.Contains(" error: ", StringComparison.Ordinal) || line.Contains(" fatal error: ", StringComparison.Ordinal) || line.Contains(" warning: ", StringComparison.Ordinal)
            ? LogLevel.Warning
            : LogLevel.Debug;
        logger.Log(level, "unbound: {Line}", line);
    }

    private async Task ReadStatisticsAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (unbound is { HasExited: false } && await ControlAsync("stats_noreset") is { } text)
                {
                    statistics.Take(text, appliedGroup);
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Could not read the resolver's statistics; trying again in {Period}", StatisticsPeriod);
            }
        }
    }

    /// <returns>What unbound-control printed, or null when it failed (the resolver is not up).</returns>
    private Task<string?> ControlAsync(string command) => HostCommand.OutputAsync(Node.ResolverControl, "-c", Site.ConfigPath, command);

    private static async Task WriteAtomicallyAsync(string path, string text, CancellationToken cancellationToken)
    {
        var temporary = path + ".new";
        await File.WriteAllTextAsync(temporary, text, cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }
}
