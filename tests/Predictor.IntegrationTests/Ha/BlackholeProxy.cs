using System.Net;
using System.Net.Sockets;

namespace Predictor.IntegrationTests.Ha;

/// <summary>
/// A loopback TCP proxy in front of PostgreSQL for one daemon, which the test can turn into a black hole: from then on
/// nothing passes either way and new connections are accepted but never answered, as when a firewall drops a port's
/// packets. <see cref="Heal"/> lets new connections through again (those cut stay cut, as after a real partition).
/// </summary>
internal sealed class BlackholeProxy : IAsyncDisposable
{
    private readonly int _upstreamPort;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(TcpClient Client, TcpClient Server)> _pairs = [];
    private readonly Task _accepting;
    private volatile bool _blackholed;

    public BlackholeProxy(int upstreamPort)
    {
        _upstreamPort = upstreamPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Stops every byte in both directions, on the connections open now and on new ones.</summary>
    public void Blackhole() => _blackholed = true;

    /// <summary>New connections pass again.</summary>
    public void Heal() => _blackholed = false;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        lock (_pairs)
        {
            foreach (var (client, server) in _pairs)
            {
                client.Dispose();
                server.Dispose();
            }
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            var server = new TcpClient();
            lock (_pairs)
            {
                _pairs.Add((client, server));
            }

            if (_blackholed)
            {
                // accepted, never answered
                continue;
            }

            await server.ConnectAsync(IPAddress.Loopback, _upstreamPort, _stop.Token);
            _ = PumpAsync(client.GetStream(), server.GetStream());
            _ = PumpAsync(server.GetStream(), client.GetStream());
        }
    }

    /// <summary>Copies one direction while the proxy passes traffic; once black-holed it reads and drops.</summary>
    private async Task PumpAsync(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    if (!_blackholed)
                    {
                        to.Socket.Shutdown(SocketShutdown.Send);
                    }

                    return;
                }

                if (!_blackholed)
                {
                    await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // one side went away, or the proxy stops
        }
    }
}
