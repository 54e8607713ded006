using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansWg.Hosting;

namespace OrleansWg.NodeHost.Enrollment;

/// <summary>
/// Renews an enrolled node's certificate and credential once two thirds of their life have passed,
/// over its own link to its server: a new key, a request, and the new identity kept and used for
/// the links opened from then on. Links already open stay up, so no session notices.
/// </summary>
public sealed class CertificateRenewal(
    ClusterIdentity identity, NodeIdentityFiles files, IClusterClient cluster, IOptions<NodeOptions> options, TimeProvider clock,
    ILogger<CertificateRenewal> logger) : BackgroundService
{
    private static readonly TimeSpan LongestWait = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var server = cluster.GetGrain<IServerGrain>(options.Value.ServerId);
        var receivedAt = files.ReceivedAt;
        while (!stoppingToken.IsCancellationRequested)
        {
            var expires = new DateTimeOffset(identity.Certificate.NotAfter.ToUniversalTime());
            var renewAt = receivedAt + (expires - receivedAt) * 2 / 3;
            var now = clock.GetUtcNow();
            if (now < renewAt)
            {
                await Task.Delay(Min(renewAt - now, LongestWait), clock, stoppingToken);
                continue;
            }

            var (key, request) = CertificateRequests.New(options.Value.ServerId);
            using (key)
            {
                try
                {
                    var renewed = await server.RenewCertificate(request).WaitAsync(options.Value.HeartbeatTimeout * 4, stoppingToken);
                    if (renewed.Identity is { } issued)
                    {
                        files.Save(key, issued.CertificatePem, issued.Credential, issued.AuthorityPem);
                        var reloaded = files.Load();
                        identity.Renew(reloaded.Certificate, reloaded.Credential);
                        receivedAt = clock.GetUtcNow();
                        logger.LogInformation("Node {ServerId} renewed its certificate: {Serial} until {ExpiresAt}", options.Value.ServerId, issued.Serial, issued.ExpiresAt);
                        continue;
                    }

                    logger.LogWarning("Node {ServerId}: renewal refused: {Detail}", options.Value.ServerId, renewed.Detail);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning("Node {ServerId} could not renew its certificate (it ends {ExpiresAt}): {Reason}", options.Value.ServerId, expires, exception.Message);
                }
            }

            // Tried again soon, but not in a tight loop: a tenth of what is left, within a second and five
            // minutes. Past its end no renewal can work (its links and credential are refused): only a new join token helps.
            var left = expires - clock.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                logger.LogError("Node {ServerId}'s certificate ended at {ExpiresAt}: an admin gives it a new join token (Node:JoinToken), and it starts again", options.Value.ServerId, expires);
            }

            var retry = left <= TimeSpan.Zero ? LongestWait : TimeSpan.FromTicks(Math.Clamp(left.Ticks / 10, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute * 5));
            await Task.Delay(retry, clock, stoppingToken);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
