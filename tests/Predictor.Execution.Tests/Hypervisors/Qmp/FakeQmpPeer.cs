using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Predictor.Execution.Tests.Hypervisors.Qmp;

/// <summary>A scripted QMP server on a unix socket: the test reads each request and writes the answers.</summary>
internal sealed class FakeQmpPeer : IAsyncDisposable
{
    public const string Greeting = """{"QMP": {"version": {"qemu": {"micro": 22, "minor": 2, "major": 7}, "package": ""}, "capabilities": ["oob"]}}""";

    private readonly string _directory;
    private readonly Socket _listener;
    private Socket? _connection;
    private StreamReader? _reader;
    private NetworkStream? _stream;

    public FakeQmpPeer()
    {
        _directory = Directory.CreateTempSubdirectory("qmp-peer-").FullName;
        SocketPath = Path.Combine(_directory, "qmp.sock");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(4);
    }

    public string SocketPath { get; }

    /// <summary>Accepts the client and sends the greeting (or the given first line).</summary>
    public async Task AcceptAsync(string firstLine = Greeting)
    {
        _connection = await _listener.AcceptAsync().WaitAsync(TimeSpan.FromSeconds(10));
        _stream = new NetworkStream(_connection, ownsSocket: false);
        _reader = new StreamReader(_stream, Encoding.UTF8);
        await SendAsync(firstLine);
    }

    /// <summary>Accepts, greets, and answers qmp_capabilities.</summary>
    public async Task AcceptAndNegotiateAsync()
    {
        await AcceptAsync();
        var request = await ReceiveAsync();
        Assert.Equal("qmp_capabilities", (string?)request["execute"]);
        await ReplyAsync(request, "{}");
    }

    public async Task<JsonObject> ReceiveAsync()
    {
        var line = await _reader!.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(line);
        return JsonNode.Parse(line)!.AsObject();
    }

    public Task ReplyAsync(JsonObject request, string returnJson) =>
        SendAsync($$"""{"return": {{returnJson}}, "id": "{{(string?)request["id"]}}"}""");

    public Task ReplyErrorAsync(JsonObject request, string errorClass, string description) =>
        SendAsync($$"""{"error": {"class": "{{errorClass}}", "desc": "{{description}}"}, "id": "{{(string?)request["id"]}}"}""");

    public Task SendEventAsync(string name, string dataJson = "{}") =>
        SendAsync($$"""{"timestamp": {"seconds": 1795317598, "microseconds": 431114}, "event": "{{name}}", "data": {{dataJson}}}""");

    public async Task SendAsync(string line)
    {
        await _stream!.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"));
        await _stream.FlushAsync();
    }

    public void CloseConnection()
    {
        _connection?.Shutdown(SocketShutdown.Both);
        _connection?.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        _reader?.Dispose();
        if (_stream is not null)
        {
            await _stream.DisposeAsync();
        }

        _connection?.Dispose();
        _listener.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
