using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace OrleansWg.Integration.Tests;

/// <summary>
/// The other end of a cluster link at the TLS level, with a member's certificate of a plane's CA:
/// a listener that poses as a silo, or a client that opens a link, and what crossed the link after
/// the handshake. It speaks no Orleans: it shows whether a process let the link go on past TLS.
/// </summary>
public sealed class TlsPeer : IAsyncDisposable
{
    private static readonly SslApplicationProtocol Orleans = new("Orleans1");

    private readonly TcpListener listener;
    private readonly X509Certificate2 certificate;
    private readonly CancellationTokenSource stop = new();
    private readonly Task accepting;

    private TlsPeer(X509Certificate2 certificate)
    {
        this.certificate = certificate;
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        accepting = Task.Run(AcceptAsync);
    }

    public string Endpoint => $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";

    /// <summary>For each link that completed the handshake: the bytes the other end sent in the next few seconds (0: it closed the link).</summary>
    public ConcurrentQueue<int> BytesAfterHandshake { get; } = new();

    /// <summary>Listens as the member <paramref name="name"/> of <paramref name="pki"/>, asking every client for a certificate.</summary>
    public static TlsPeer Listen(Pki pki, string name) => new(Load(pki, name));

    /// <summary>
    /// Opens a link to <paramref name="endpoint"/> as the member <paramref name="name"/>, sends nothing,
    /// and waits up to <paramref name="wait"/>: true when the other end closed the link in that time.
    /// </summary>
    public static async Task<bool> ClosedAfterHandshakeAsync(string endpoint, Pki pki, string name, TimeSpan wait)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPEndPoint.Parse(endpoint));
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "silo",
            ClientCertificates = [Load(pki, name)],
            ApplicationProtocols = [Orleans],
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        });
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            return await tls.ReadAsync(new byte[1], timeout.Token) == 0;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting;
        stop.Dispose();
        certificate.Dispose();
    }

    private static X509Certificate2 Load(Pki pki, string name) =>
        X509Certificate2.CreateFromPemFile(Path.Combine(pki.Directory, $"{name}.pem"), Path.Combine(pki.Directory, $"{name}.key"));

    private async Task AcceptAsync()
    {
        var links = new List<Task>();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var tcp = await listener.AcceptTcpClientAsync(stop.Token);
                links.Add(ServeAsync(tcp));
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        await Task.WhenAll(links);
    }

    private async Task ServeAsync(TcpClient tcp)
    {
        using var _ = tcp;
        try
        {
            await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = certificate,
                ClientCertificateRequired = true,
                ApplicationProtocols = [Orleans],
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            }, stop.Token);
            using var window = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
            window.CancelAfter(TimeSpan.FromSeconds(3));
            var buffer = new byte[4096];
            var total = 0;
            try
            {
                int read;
                while ((read = await tls.ReadAsync(buffer, window.Token)) > 0)
                {
                    total += read;
                }
            }
            catch (Exception exception) when (exception is OperationCanceledException or IOException)
            {
            }

            BytesAfterHandshake.Enqueue(total);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or System.Security.Authentication.AuthenticationException)
        {
            // A link that never finished its handshake.
        }
    }
}
