using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OrleansWg.Kernel.Tests;

/// <summary>A web page that a client fetches through its tunnel and its container's NAT: the user's "internet".</summary>
public sealed class PageServer : IDisposable
{
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stop = new();

    private PageServer(TcpListener listener, string body)
    {
        this.listener = listener;
        Body = body;
    }

    public string Body { get; }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public string Url => $"http://{listener.LocalEndpoint}/";

    public static PageServer Start(IPAddress address, string body)
    {
        var listener = new TcpListener(address, 0);
        listener.Start();
        var server = new PageServer(listener, body);
        _ = server.ServeAsync();
        return server;
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
    }

    private async Task ServeAsync()
    {
        var answer = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {Body.Length}\r\nConnection: close\r\n\r\n{Body}");
        try
        {
            while (!stop.IsCancellationRequested)
            {
                using var connection = await listener.AcceptTcpClientAsync(stop.Token);
                var stream = connection.GetStream();
                _ = await stream.ReadAsync(new byte[4096], stop.Token);
                await stream.WriteAsync(answer, stop.Token);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException or IOException)
        {
            // Stopped with its test.
        }
    }
}
