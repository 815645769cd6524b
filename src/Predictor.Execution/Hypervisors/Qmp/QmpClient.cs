using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Predictor.Execution.Hypervisors.Qmp;

/// <summary>
/// An asynchronous QEMU Machine Protocol client on a unix socket: reads the greeting, negotiates
/// capabilities, runs commands tagged with ids (replies are matched by id, so several commands may be
/// in flight), and delivers asynchronous events to waiters. When the connection ends, every pending
/// command and event wait fails with a <see cref="QmpConnectionException"/> naming what was pending. The messages
/// themselves are read and written by <see cref="QmpMessages"/>.
/// </summary>
internal sealed class QmpClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly object _gate = new();
    private readonly Dictionary<string, PendingCommand> _pending = [];
    private readonly List<EventWaiter> _waiters = [];
    private readonly TaskCompletionSource<JsonElement> _greeting = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _readerStop = new();
    private Task _reader = Task.CompletedTask;
    private long _nextId;
    private int _disposed;
    private string? _closedReason;

    private QmpClient(string socketPath, Socket socket, ILogger logger)
    {
        SocketPath = socketPath;
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
        _logger = logger;
    }

    /// <summary>The unix socket this client talks to.</summary>
    public string SocketPath { get; }

    /// <summary>QEMU's version from the greeting, e.g. "7.2.22".</summary>
    public string QemuVersion { get; private set; } = "";

    /// <summary>
    /// The process id of the QEMU at the other end of the socket (the kernel's SO_PEERCRED), or null where the platform
    /// does not say: a hot restart tells the old process from the new one by it, and waits for the old one to exit.
    /// </summary>
    public int? PeerProcessId
    {
        get
        {
            if (!OperatingSystem.IsLinux())
            {
                return null;
            }

            // struct ucred { pid_t pid; uid_t uid; gid_t gid; } for SOL_SOCKET (1), SO_PEERCRED (17)
            Span<byte> credentials = stackalloc byte[12];
            return _socket.GetRawSocketOption(1, 17, credentials) >= 4 ? BitConverter.ToInt32(credentials) : null;
        }
    }

    /// <summary>Raised on the reader for every event (after waiters are served); handlers must not block.</summary>
    public event Action<QmpEvent>? EventReceived;

    /// <summary>Connects, reads the greeting and leaves capabilities negotiation mode.</summary>
    /// <exception cref="QmpConnectionException">The socket is missing, refuses, or the peer is not QMP.</exception>
    public static async Task<QmpClient> ConnectAsync(string socketPath, TimeSpan timeout, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var timeoutCts = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
        QmpClient? client = null;
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), linked.Token);
            client = new QmpClient(socketPath, socket, logger);
            client._reader = Task.Run(client.ReadLoopAsync, CancellationToken.None);
            var greeting = await client._greeting.Task.WaitAsync(linked.Token);
            client.QemuVersion = QmpMessages.Version(greeting);
            await client.ExecuteAsync("qmp_capabilities", null, linked.Token);
            Log.QmpConnected(logger, socketPath, client.QemuVersion);
            return client;
        }
        catch (OperationCanceledException) when (timeoutCts.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await DisposeQuietlyAsync(client, socket);
            throw new QmpConnectionException($"QMP handshake with {socketPath} did not finish within {timeout.TotalSeconds:0.###} s");
        }
        catch (SocketException ex)
        {
            await DisposeQuietlyAsync(client, socket);
            throw new QmpConnectionException($"cannot connect to QMP socket {socketPath}: {ex.SocketErrorCode} ({ex.Message})", ex);
        }
        catch
        {
            await DisposeQuietlyAsync(client, socket);
            throw;
        }
    }

    /// <summary>Runs one command and returns its <c>return</c> value (cloned, safe to keep).</summary>
    /// <exception cref="QmpCommandException">QEMU answered with an error.</exception>
    /// <exception cref="QmpConnectionException">The connection closed before the reply arrived.</exception>
    public async Task<JsonElement> ExecuteAsync(string command, JsonObject? arguments, CancellationToken cancellationToken)
    {
        var id = "p" + Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var pending = new PendingCommand(command);
        lock (_gate)
        {
            if (_closedReason is { } reason)
            {
                throw new QmpConnectionException($"QMP connection to {SocketPath} is closed ({reason}); command '{command}' was not sent");
            }

            _pending.Add(id, pending);
        }

        var bytes = QmpMessages.Command(command, id, arguments);
        using var registration = cancellationToken.Register(() => Forget(id, cancellationToken));
        try
        {
            await _writeLock.WaitAsync(cancellationToken);
            try
            {
                await _stream.WriteAsync(bytes, cancellationToken);
            }
            finally
            {
                _writeLock.Release();
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            Forget(id, null);
            throw new QmpConnectionException($"QMP connection to {SocketPath} broke while sending '{command}': {ex.Message}", ex);
        }
        catch
        {
            Forget(id, null);
            throw;
        }

        Log.QmpCommandSent(_logger, SocketPath, command, id);
        return await pending.Reply.Task;
    }

    /// <summary>
    /// Starts waiting for the first event that matches. Call it before the action that causes the event
    /// and await the task after; events that arrived before the call are not seen.
    /// </summary>
    public Task<QmpEvent> WaitForEventAsync(Func<QmpEvent, bool> match, CancellationToken cancellationToken)
    {
        var waiter = new EventWaiter(match);
        lock (_gate)
        {
            if (_closedReason is { } reason)
            {
                return Task.FromException<QmpEvent>(new QmpConnectionException($"QMP connection to {SocketPath} is closed ({reason}); cannot wait for an event"));
            }

            _waiters.Add(waiter);
        }

        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() =>
            {
                lock (_gate)
                {
                    _waiters.Remove(waiter);
                }

                waiter.Completion.TrySetCanceled(cancellationToken);
            });
            waiter.Completion.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return waiter.Completion.Task;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _readerStop.CancelAsync();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already disconnected by the peer: nothing left to shut down.
        }

        _socket.Dispose();
        await _reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _stream.DisposeAsync();
        _readerStop.Dispose();
        _writeLock.Dispose();
    }

    private static async Task DisposeQuietlyAsync(QmpClient? client, Socket socket)
    {
        if (client is not null)
        {
            await client.DisposeAsync();
        }
        else
        {
            socket.Dispose();
        }
    }

    private void Forget(string id, CancellationToken? cancelled)
    {
        PendingCommand? pending;
        lock (_gate)
        {
            if (_pending.Remove(id, out pending) && cancelled is { } token)
            {
                pending.Reply.TrySetCanceled(token);
            }
        }
    }

    private async Task ReadLoopAsync()
    {
        string reason = "the peer closed the socket";
        try
        {
            using var reader = new StreamReader(_stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
            while (await reader.ReadLineAsync(_readerStop.Token) is { } line)
            {
                if (line.Length > 0)
                {
                    Dispatch(line);
                }
            }
        }
        catch (OperationCanceledException) when (_readerStop.IsCancellationRequested)
        {
            reason = "the client was disposed";
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or JsonException or QmpConnectionException)
        {
            reason = ex.Message;
        }

        Close(reason);
    }

    private void Dispatch(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new QmpConnectionException($"not a QMP message: {QmpMessages.Truncate(line)}");
        }

        if (root.TryGetProperty("QMP", out var greeting))
        {
            _greeting.TrySetResult(greeting.Clone());
        }
        else if (root.TryGetProperty("event", out var name))
        {
            DispatchEvent(root, name.GetString() ?? "");
        }
        else if (root.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String)
        {
            CompleteCommand(idElement.GetString()!, root);
        }
        else if (!_greeting.Task.IsCompleted)
        {
            throw new QmpConnectionException($"expected a QMP greeting, got: {QmpMessages.Truncate(line)}");
        }
        else
        {
            Log.QmpUnmatchedMessage(_logger, SocketPath, QmpMessages.Truncate(line));
        }
    }

    private void CompleteCommand(string id, JsonElement root)
    {
        PendingCommand? pending;
        lock (_gate)
        {
            _pending.Remove(id, out pending);
        }

        if (pending is null)
        {
            Log.QmpUnmatchedMessage(_logger, SocketPath, "reply to unknown or abandoned id " + id);
            return;
        }

        var (result, error) = QmpMessages.Reply(root, SocketPath, pending.Command);
        if (error is null)
        {
            pending.Reply.TrySetResult(result);
        }
        else
        {
            pending.Reply.TrySetException(error);
        }
    }

    private void DispatchEvent(JsonElement root, string name)
    {
        var evt = QmpMessages.Event(root, name);
        Log.QmpEventReceived(_logger, SocketPath, name, evt.MigrationStatus ?? "");
        List<EventWaiter> matched = [];
        lock (_gate)
        {
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(evt))
                {
                    matched.Add(_waiters[i]);
                    _waiters.RemoveAt(i);
                }
            }
        }

        foreach (var waiter in matched)
        {
            waiter.Completion.TrySetResult(evt);
        }

        EventReceived?.Invoke(evt);
    }

    private void Close(string reason)
    {
        List<PendingCommand> pending;
        List<EventWaiter> waiters;
        lock (_gate)
        {
            _closedReason = reason;
            pending = [.. _pending.Values];
            _pending.Clear();
            waiters = [.. _waiters];
            _waiters.Clear();
        }

        if (pending.Count > 0 && !_readerStop.IsCancellationRequested)
        {
            Log.QmpClosedWithPending(_logger, SocketPath, reason, string.Join(", ", pending.Select(p => p.Command)));
        }

        _greeting.TrySetException(new QmpConnectionException($"QMP connection to {SocketPath} closed before the greeting: {reason}"));
        foreach (var p in pending)
        {
            p.Reply.TrySetException(new QmpConnectionException($"QMP connection to {SocketPath} closed while command '{p.Command}' was pending: {reason}"));
        }

        foreach (var w in waiters)
        {
            w.Completion.TrySetException(new QmpConnectionException($"QMP connection to {SocketPath} closed while waiting for an event: {reason}"));
        }
    }

    private sealed class PendingCommand(string command)
    {
        public string Command { get; } = command;

        public TaskCompletionSource<JsonElement> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class EventWaiter(Func<QmpEvent, bool> match)
    {
        public Func<QmpEvent, bool> Match { get; } = match;

        public TaskCompletionSource<QmpEvent> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
