using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using OrleansWg.Hosting;

namespace OrleansWg.Integration.Tests;

/// <summary>
/// A process of the test's joining a plane's cluster as an Orleans client through the silos'
/// gateways: with an identity (certificate, key, role credential) as the plane's processes have, or
/// with less, as an attacker would.
/// </summary>
public sealed class ClusterMember : IAsyncDisposable
{
    private readonly IHost host;

    private ClusterMember(IHost host) => this.host = host;

    public IClusterClient Client => host.Services.GetRequiredService<IClusterClient>();

    /// <param name="tls">The identity's files; null joins without TLS.</param>
    /// <param name="sendCredential">Whether calls carry the identity's role credential.</param>
    public static async Task<ClusterMember> JoinAsync(ControlPlane plane, ClusterTlsSettings? tls, bool sendCredential = true)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client =>
        {
            client.UseStaticClustering([.. plane.SiloGateways.Select(IPEndPoint.Parse)]);
            client.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = plane.ClusterId;
                options.ServiceId = "owg";
            });
            client.Configure<ClientMessagingOptions>(options => options.ResponseTimeout = TimeSpan.FromSeconds(10));
            client.UseConnectionRetryFilter((_, _) => Task.FromResult(false));
            if (tls is not null)
            {
                var identity = ClusterIdentity.Load(tls);
                client.UseTls(identity.Certificate, identity.Configure);
                client.Services.AddSingleton(identity);
                if (sendCredential)
                {
                    client.AddOutgoingGrainCallFilter<CredentialSender>();
                }
            }
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
            return new ClusterMember(host);
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    public static ClusterTlsSettings Identity(Pki pki, string name, string? credentialFrom = null) => new()
    {
        Authority = Path.Combine(pki.Directory, "ca.pem"),
        Certificate = Path.Combine(pki.Directory, $"{name}.pem"),
        Key = Path.Combine(pki.Directory, $"{name}.key"),
        Credential = credentialFrom ?? Path.Combine(pki.Directory, $"{name}.credential"),
    };

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync(TimeSpan.FromSeconds(5));
        host.Dispose();
    }
}
