using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace OrleansWg.NodeHost.Enrollment;

/// <summary>
/// A node's first join: it sends its join token and a request for its own new key's certificate to
/// the Gateway (<c>POST /v1/nodes/{id}/enroll</c>) and keeps what comes back. The Gateway is known
/// by Node:GatewayCertificate, or by the system's CAs; until it answers, it is asked again for a while.
/// </summary>
public static class NodeEnrollmentClient
{
    private static readonly TimeSpan RetryFor = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(2);

    public static async Task EnrollAsync(NodeOptions node, NodeIdentityFiles files, ILogger logger, CancellationToken cancellationToken)
    {
        if (node.JoinToken.Length == 0 || !Uri.TryCreate(node.EnrollUrl, UriKind.Absolute, out var gateway) || gateway.Scheme != Uri.UriSchemeHttps)
        {
            throw new InvalidOperationException($"Node {node.ServerId} has no identity yet: it needs Node:JoinToken (a secret file Node__JoinToken) "
                + "and Node:EnrollUrl (the Gateway's https://host:port: the token never goes in the clear) to enroll, or Cluster:Tls:* files made on the operator's machine");
        }

        using var http = new HttpClient(Handler(node.GatewayCertificate)) { BaseAddress = new Uri(gateway, "/"), Timeout = TimeSpan.FromSeconds(30) };
        var (key, request) = CertificateRequests.New(node.ServerId);
        using (key)
        {
            var giveUpAt = DateTimeOffset.UtcNow + RetryFor;
            while (true)
            {
                HttpResponseMessage answer;
                try
                {
                    answer = await http.PostAsJsonAsync($"v1/nodes/{Uri.EscapeDataString(node.ServerId)}/enroll",
                        new { token = node.JoinToken.Trim(), certificateRequest = request }, cancellationToken);
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested
                    && DateTimeOffset.UtcNow < giveUpAt)
                {
                    logger.LogWarning("Enrollment of {ServerId} could not reach {Url}: {Reason}; trying again", node.ServerId, node.EnrollUrl, exception.Message);
                    await Task.Delay(RetryEvery, cancellationToken);
                    continue;
                }

                using (answer)
                {
                    if (((int)answer.StatusCode >= 500 || answer.StatusCode == HttpStatusCode.TooManyRequests) && DateTimeOffset.UtcNow < giveUpAt)
                    {
                        logger.LogWarning("Enrollment of {ServerId}: the Gateway answered {Status}; trying again", node.ServerId, (int)answer.StatusCode);
                        await Task.Delay(answer.Headers.RetryAfter?.Delta is { } wait && wait > RetryEvery ? wait : RetryEvery, cancellationToken);
                        continue;
                    }

                    if (answer.StatusCode != HttpStatusCode.OK)
                    {
                        throw new InvalidOperationException($"Enrollment of {node.ServerId} was refused ({(int)answer.StatusCode}): {await answer.Content.ReadAsStringAsync(cancellationToken)}");
                    }

                    var issued = await answer.Content.ReadFromJsonAsync<Issued>(cancellationToken)
                        ?? throw new InvalidOperationException($"Enrollment of {node.ServerId}: the Gateway answered no identity");
                    files.Save(key, issued.Certificate, issued.Credential, issued.Authority);
                    logger.LogInformation("Node {ServerId} enrolled; its certificate lasts until {ExpiresAt}", node.ServerId, issued.ExpiresAt);
                    return;
                }
            }
        }
    }

    private static HttpClientHandler Handler(string gatewayCertificate)
    {
        var handler = new HttpClientHandler();
        if (gatewayCertificate.Length > 0)
        {
            var trusted = X509CertificateLoader.LoadCertificateFromFile(gatewayCertificate);
            handler.ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>
                certificate is not null && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None && ChainsTo(certificate, trusted);
        }

        return handler;
    }

    private static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 trusted)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    private sealed record Issued(string Certificate, string Authority, string Credential, DateTimeOffset ExpiresAt);
}
