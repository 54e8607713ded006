using System.Net;
using System.Net.Sockets;

namespace OrleansWg.TestStack;

/// <summary>HTTP clients whose connections come from a chosen address of 127.0.0.0/8, so one test can be many client addresses.</summary>
public static class LoopbackSource
{
    /// <returns>127.0.{n / 250}.{n % 250 + 2}: a distinct loopback address for each n up to 63,999.</returns>
    public static IPAddress Address(int n) => new([127, 0, (byte)(n / 250), (byte)(n % 250 + 2)]);

    public static HttpClient Client(IPAddress source, Uri baseAddress) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
}
