using System.Text;
using Predictor.Core.Alerts;
using Predictor.Telemetry.Influx;
using Predictor.Telemetry.LineProtocol;
using Predictor.Telemetry.Spool;
using Predictor.Testing.Alerts;
using Predictor.Testing.Http;

namespace Predictor.Telemetry.Tests.Spool;

/// <summary>
/// The forwarder against a stand-in InfluxDB that refuses chosen lines as InfluxDB does (400, whole batch or partial):
/// nothing acknowledged is dropped unseen. The real influxd is in the integration suite (InfluxFidelityTests).
/// </summary>
public sealed class SpoolForwarderTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "forwarder-" + Guid.NewGuid().ToString("N"));
    private readonly CollectingAlertPublisher _alerts = new();
    private readonly HashSet<string> _stored = [];
    private RecordingServer _influx = null!;

    public async Task InitializeAsync()
    {
        _influx = await RecordingServer.StartAsync();
        _influx.Respond = request =>
        {
            // a stand-in for a field type conflict: lines with a string value of "a" are refused, the rest stored
            var lines = request.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var refused = lines.Where(l => l.Contains("a=\"", StringComparison.Ordinal)).ToList();
            lock (_stored)
            {
                _stored.UnionWith(lines.Except(refused));
            }

            return refused.Count == 0 ? (204, "") : (400, "{\"error\":\"partial write: field type conflict: input field \\\"a\\\" on measurement \\\"cpu\\\" is type string, already exists as type float dropped=" + refused.Count + "\"}");
        };
    }

    public async Task DisposeAsync()
    {
        await _influx.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Run_InfluxRefusesSomeLines_TheyAreFoundByHalvingAndKeptInTheDeadLetterFileTheRestStored()
    {
        var options = new SpoolOptions { Directory = _dir, FsyncPolicy = SpoolFsyncPolicy.Never };
        using var spool = new DiskSpool(options, TimeProvider.System);
        var lines = Enumerable.Range(0, 9).Select(i => i is 3 or 7 ? $"cpu a=\"x{i}\" {i}" : $"cpu a={i} {i}").ToList();
        Assert.True(spool.TryAppend(Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n"), TimestampPrecision.Microseconds));
        var deadLetters = DeadLetterFile.For(options);
        using var http = new HttpClient();
        var influx = new InfluxClient(http, new InfluxOptions { BaseAddress = _influx.BaseUrl, Database = "telemetry", MaxRetries = 0, Gzip = false }, TimeProvider.System);
        using var stop = new CancellationTokenSource();
        var run = new SpoolForwarder(spool, influx, deadLetters, _alerts, TimeProvider.System).RunAsync(stop.Token);

        // waiting for the forwarder, not timing it: a loaded machine may time an attempt out and back off
        for (var i = 0; spool.PendingBytes > 0; i++)
        {
            Assert.True(i < 6000, "the spool did not drain in 60 s");
            await Task.Delay(10);
        }

        Assert.Equal(lines.Where((_, i) => i is not (3 or 7)).Order(), _stored.Order());
        var kept = await File.ReadAllLinesAsync(deadLetters.Path);
        Assert.Equal(["cpu a=\"x3\" 3", "cpu a=\"x7\" 7"], kept.Where(l => !l.StartsWith('#')));
        Assert.All(kept.Where(l => l.StartsWith('#')), l => Assert.Matches("^# .+Z precision=u: partial write: field type conflict: .+ dropped=1$", l));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(deadLetters.Path));
        Assert.All(_influx.Requests, r => Assert.Contains("precision=u&", r.Path + "&", StringComparison.Ordinal));
        var alert = Assert.Single(_alerts.Published);
        Assert.Equal((AlertConditions.TelemetryDeadLettered, AlertSeverity.Warning, false, "2"), (alert.Condition, alert.Severity, alert.Resolved, alert.Details["lines"]));

        // once an operator has dealt with the file, the alert is resolved
        File.Delete(deadLetters.Path);
        Assert.True(spool.TryAppend("cpu a=9 9\n"u8, TimestampPrecision.Microseconds));
        for (var i = 0; _alerts.Published.Count < 2; i++)
        {
            Assert.True(i < 6000, "the alert was not resolved in 60 s");
            await Task.Delay(10);
        }

        Assert.True(_alerts.Published.Last().Resolved);
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public void Append_FileFull_RefusedAndNothingWritten()
    {
        Directory.CreateDirectory(_dir);
        var file = new DeadLetterFile(Path.Combine(_dir, "dead-letter.lp"), 100);
        Assert.True(file.Append("cpu v=1 1"u8, TimestampPrecision.Seconds, "refused", DateTimeOffset.UnixEpoch));
        var before = File.ReadAllText(file.Path);
        Assert.False(file.Append(Encoding.UTF8.GetBytes("cpu " + new string('v', 80) + "=1 1"), TimestampPrecision.Seconds, "refused", DateTimeOffset.UnixEpoch));
        Assert.Equal("# 1970-01-01T00:00:00.000Z precision=s: refused\ncpu v=1 1\n", before);
        Assert.Equal(before, File.ReadAllText(file.Path));
    }
}
