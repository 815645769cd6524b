using System.Net.Sockets;
using System.Text;

namespace Predictor.IntegrationTests.Hypervisors.Qmp;

/// <summary>
/// A unix-socket proxy in front of a QMP socket that closes the connection, once, when the client sends a
/// given command for the given time (counted over all connections): that command is never delivered, so the client sees the socket close mid-command.
/// Later connections are forwarded untouched.
/// </summary>
internal sealed class QmpDroppingProxy : IAsyncDisposable
{
    private readonly string _upstream;
    private readonly string _dropOnCommand;
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = [];
    private readonly Task _accepting;
    private readonly int _dropOnOccurrence;
    private int _dropped;
    private int _seen;

    public QmpDroppingProxy(string path, string upstream, string dropOnCommand, int dropOnOccurrence)
    {
        _dropOnOccurrence = dropOnOccurrence;
        Path = path;
        _upstream = upstream;
        _dropOnCommand = $"\"execute\":\"{dropOnCommand}\"";
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(path));
        _listener.Listen(8);
        _accepting = AcceptLoopAsync();
    }

    public string Path { get; }

    public bool Dropped => Volatile.Read(ref _dropped) == 1;

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptAsync(_stop.Token);
                var server = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await server.ConnectAsync(new UnixDomainSocketEndPoint(_upstream), _stop.Token);
                lock (_sockets)
                {
                    _sockets.Add(client);
                    _sockets.Add(server);
                }

                _ = PumpAsync(server, client, inspect: false);
                _ = PumpAsync(client, server, inspect: true);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The proxy is being disposed.
        }
    }

    private async Task PumpAsync(Socket from, Socket to, bool inspect)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    break;
                }

                if (inspect && !Dropped && Encoding.UTF8.GetString(buffer, 0, read).Contains(_dropOnCommand, StringComparison.Ordinal)
                    && Interlocked.Increment(ref _seen) == _dropOnOccurrence && Interlocked.Exchange(ref _dropped, 1) == 0)
                {
                    break;
                }

                await to.SendAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // One side went away; closing both below ends the other pump.
        }

        from.Dispose();
        to.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _accepting;
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }
        }

        _stop.Dispose();
    }
}
