using Microsoft.Extensions.Logging.Abstractions;
using Predictor.Execution.Hypervisors.Qmp;

namespace Predictor.Execution.Tests.Hypervisors.Qmp;

public sealed class QmpClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static async Task<QmpClient> ConnectAsync(FakeQmpPeer peer)
    {
        var connecting = QmpClient.ConnectAsync(peer.SocketPath, Timeout, TimeProvider.System, NullLogger.Instance, CancellationToken.None);
        await peer.AcceptAndNegotiateAsync();
        return await connecting;
    }

    [Fact]
    public async Task ConnectAsync_Greeting_NegotiatesCapabilitiesAndReadsVersion()
    {
        await using var peer = new FakeQmpPeer();
        await using var client = await ConnectAsync(peer);

        Assert.Equal("7.2.22", client.QemuVersion);
    }

    [Fact]
    public async Task ConnectAsync_PeerIsNotQmp_ThrowsNamingWhatCame()
    {
        await using var peer = new FakeQmpPeer();
        var connecting = QmpClient.ConnectAsync(peer.SocketPath, Timeout, TimeProvider.System, NullLogger.Instance, CancellationToken.None);
        await peer.AcceptAsync("""{"hello": 1}""");

        var ex = await Assert.ThrowsAsync<QmpConnectionException>(() => connecting);
        Assert.Contains("""expected a QMP greeting, got: {"hello": 1}""", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_NoSocket_ThrowsNamingThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-qmp-" + Guid.NewGuid().ToString("N") + ".sock");

        var ex = await Assert.ThrowsAsync<QmpConnectionException>(() =>
            QmpClient.ConnectAsync(path, Timeout, TimeProvider.System, NullLogger.Instance, CancellationToken.None));

        Assert.StartsWith($"cannot connect to QMP socket {path}: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_RepliesOutOfOrder_EachCommandGetsItsOwnReply()
    {
        await using var peer = new FakeQmpPeer();
        await using var client = await ConnectAsync(peer);

        var status = client.ExecuteAsync("query-status", null, CancellationToken.None);
        var migrate = client.ExecuteAsync("query-migrate", null, CancellationToken.None);
        var first = await peer.ReceiveAsync();
        var second = await peer.ReceiveAsync();
        await peer.ReplyAsync(second, """{"status": "active"}""");
        await peer.ReplyAsync(first, """{"status": "running", "running": true}""");

        Assert.Equal("running", (await status).GetProperty("status").GetString());
        Assert.Equal("active", (await migrate).GetProperty("status").GetString());
        Assert.NotEqual((string?)first["id"], (string?)second["id"]);
    }

    [Fact]
    public async Task ExecuteAsync_Arguments_SentUnderArguments()
    {
        await using var peer = new FakeQmpPeer();
        await using var client = await ConnectAsync(peer);

        var run = client.ExecuteAsync("migrate", new() { ["uri"] = "tcp:127.0.0.1:4444" }, CancellationToken.None);
        var request = await peer.ReceiveAsync();
        await peer.ReplyAsync(request, "{}");
        await run;

        Assert.Equal("migrate", (string?)request["execute"]);
        Assert.Equal("tcp:127.0.0.1:4444", (string?)request["arguments"]!["uri"]);
    }

    [Fact]
    public async Task ExecuteAsync_ErrorReply_ThrowsWithClassAndDescription()
    {
        await using var peer = new FakeQmpPeer();
        await using var client = await ConnectAsync(peer);

        var run = client.ExecuteAsync("migrate-incoming", new() { ["uri"] = "tcp:x" }, CancellationToken.None);
        await peer.ReplyErrorAsync(await peer.ReceiveAsync(), "GenericError", "The incoming migration has already been started");

        var ex = await Assert.ThrowsAsync<QmpCommandException>(() => run);
        Assert.Equal("GenericError", ex.ErrorClass);
        Assert.Equal($"QMP command 'migrate-incoming' on {peer.SocketPath} failed: GenericError: The incoming migration has already been started", ex.Message);
    }

    [Fact]
    public async Task ExecuteAsync_PeerClosesMidCommand_PendingCommandFailsNamingIt()
    {
        await using var peer = new FakeQmpPeer();
        await using var client = await ConnectAsync(peer);

        var run = client.ExecuteAsync("query-migrate", null, CancellationToken.None);
        await peer.ReceiveAsync();
        peer.CloseConnection();

        var ex = await Assert.ThrowsAsync<QmpConnectionException>(() => run.WaitAsync(Timeout));
        Assert.StartsWith($"QMP connection to {peer.SocketPath} closed while command 'query-migrate' was pending", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_AfterClose_FailsWithoutSending()
    {
        await using var peer = new FakeQmpPeer();
        await using var client = await ConnectAsync(peer);
        var waiting = client.WaitForEventAsync(_ => false, CancellationToken.None);
        peer.CloseConnection();
        await Assert.ThrowsAsync<QmpConnectionException>(() => waiting.WaitAsync(Timeout));

        var ex = await Assert.ThrowsAsync<QmpConnectionException>(() => client.ExecuteAsync("stop", null, CancellationToken.None));

        Assert.Contains("command 'stop' was not sent", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForEventAsync_EventBetweenReplies_DeliveredWithDataAndTimestamp()
    {
        await using var peer = new FakeQmpPeer();
        await using var client = await ConnectAsync(peer);
        var completed = client.WaitForEventAsync(e => e.MigrationStatus == "completed", CancellationToken.None);
        var stop = client.WaitForEventAsync(e => e.Name == "STOP", CancellationToken.None);

        var run = client.ExecuteAsync("migrate", null, CancellationToken.None);
        var request = await peer.ReceiveAsync();
        await peer.SendEventAsync("MIGRATION", """{"status": "active"}""");
        await peer.SendEventAsync("MIGRATION_PASS", """{"pass": 1}""");
        await peer.SendEventAsync("STOP");
        await peer.ReplyAsync(request, "{}");
        await peer.SendEventAsync("MIGRATION", """{"status": "completed"}""");
        await run;

        var evt = await completed.WaitAsync(Timeout);
        Assert.Equal("MIGRATION", evt.Name);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1795317598).AddTicks(4311140), evt.Timestamp);
        Assert.Equal("STOP", (await stop.WaitAsync(Timeout)).Name);
    }

    [Fact]
    public async Task WaitForEventAsync_Cancelled_EndsAsCancelled()
    {
        await using var peer = new FakeQmpPeer();
        await using var client = await ConnectAsync(peer);
        using var cts = new CancellationTokenSource();

        var waiting = client.WaitForEventAsync(e => e.Name == "RESUME", cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Fact]
    public async Task ExecuteAsync_CancelledWhilePending_LateReplyIsIgnored()
    {
        await using var peer = new FakeQmpPeer();
        await using var client = await ConnectAsync(peer);
        using var cts = new CancellationTokenSource();

        var run = client.ExecuteAsync("query-status", null, cts.Token);
        var request = await peer.ReceiveAsync();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        await peer.ReplyAsync(request, """{"status": "running"}""");

        var next = client.ExecuteAsync("query-status", null, CancellationToken.None);
        var nextRequest = await peer.ReceiveAsync();
        await peer.ReplyAsync(nextRequest, """{"status": "paused"}""");
        Assert.Equal("paused", (await next).GetProperty("status").GetString());
    }
}
