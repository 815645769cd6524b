using Predictor.Cli;
using Predictor.Core.Outcomes;
using Predictor.Daemon.Datasets;
using Predictor.Daemon.Outcomes;
using Predictor.Simulation.Output;
using Predictor.Telemetry.Influx;
using Predictor.Telemetry.LineProtocol;
using Predictor.Learning.Lifecycle;
using Predictor.Tests.Daemon.Lifecycle;
using Predictor.Tests.Daemon.Telemetry;

namespace Predictor.IntegrationTests.Influx;

/// <summary>
/// Datasets from real telemetry: a daemon pulls the simulator's telemetry from a real influxd and logs its features; a
/// replay of what influxd stores, through the daemon's own feature code, gives those rows value for value, and
/// <c>predictor dataset --from-influx</c> writes them labelled.
/// </summary>
[Collection(InfluxdCollection.Name)]
public sealed class InfluxReplayTests(InfluxdFixture influxd) : IDisposable
{
    private const string Database = "replay";
    private readonly string _directory = Directory.CreateTempSubdirectory("predictor-influx-replay-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task DatasetFromInflux_WhatTheDaemonPulled_IsReplayedAsItWasComputedLive()
    {
        var logPath = Path.Combine(_directory, "outcomes.db");
        var run = await ScenarioRun.RunAsync(TimeSpan.FromDays(1),
            "--Telemetry:Source=Pull", $"--Influx:BaseAddress={influxd.BaseAddress}", $"--Influx:Database={Database}",
            $"--Influx:Username={InfluxdFixture.AdminUser}", $"--Influx:Password={InfluxdFixture.AdminPassword}", $"--Outcomes:Path={logPath}");
        // the daemon's windows and detectors also took the fleet's first sample before its first pass (the simulator's
        // warm-up, which does not go through InfluxDB): store it too, so influxd holds all the daemon ingested
        var start = run.Fleet.Options.Start;
        using (var lines = new MemoryStream())
        {
            var sink = new LineProtocolTelemetrySink(lines, TimestampPrecision.Seconds);
            run.Fleet.EmitTelemetry(start.AddSeconds(-1), start, sink);
            sink.Flush();
            var client = new InfluxClient(influxd.Http, Options(), TimeProvider.System);
            await client.WriteAsync(lines.ToArray(), CancellationToken.None, TimestampPrecision.Seconds);
        }

        using var log = new SqliteOutcomeLog(logPath);
        var live = log.Features().ToList();
        var end = log.LatestFeaturesAt()!.Value;
        var settings = new ReplaySettings { Influx = Options() };
        var replayed = await new TelemetryReplay(settings)
            .RunAsync(new InfluxRawTelemetry(influxd.Http, settings, TimeProvider.System), start, end, TimeSpan.FromHours(1), CancellationToken.None)
            .ToListAsync();

        ReplayAssert.SameRows(live, replayed, run.Fleet.Failures.ToDictionary(f => f.Host, f => f.FailsAt, StringComparer.Ordinal));

        // the verb: the same replay, labelled by the failure records
        var labels = Path.Combine(_directory, "failures.csv");
        await File.WriteAllLinesAsync(labels, ["host,time,component,cause,source", .. run.Fleet.Failures.Select(f => $"{f.Host},{f.FailsAt:yyyy-MM-ddTHH:mm:ssZ},{f.Component},{f.Cause},simulator")]);
        var config = Path.Combine(_directory, "predictor.json");
        await File.WriteAllTextAsync(config, $$"""
            {"Influx": {"Username": "{{InfluxdFixture.AdminUser}}", "Password": "{{InfluxdFixture.AdminPassword}}"} }
            """);
        var output = Path.Combine(_directory, "dataset.csv");
        var error = new StringWriter();
        var code = await PredictorCli.InvokeAsync(
            ["dataset", "--from-influx", influxd.BaseAddress.ToString(), "--database", Database, "--from", $"{start:yyyy-MM-ddTHH:mm:ssZ}", "--to", $"{end:yyyy-MM-ddTHH:mm:ssZ}",
             "--horizon", "6h", "--outcomes", labels, "--config", config, "--out", output], error);

        Assert.True(code == 0, error.ToString());
        var rows = await File.ReadAllLinesAsync(output);
        Assert.Equal(LabelledDataset.Header, rows[0]);
        var labeler = new HorizonLabeler(OutcomeCsv.Load(labels).Outcomes, TimeSpan.FromHours(6), end);
        var expected = replayed.Select(r => (Row: r, Label: labeler.Label(r.Host, r.At)))
            .Where(r => r.Label is RowLabel.Positive or RowLabel.Negative)
            .Select(r => LabelledDataset.Line(r.Row, r.Label == RowLabel.Positive ? 1 : 0));
        Assert.Equal(expected, rows.Skip(1));
        Assert.Contains(rows, r => r.EndsWith(",1", StringComparison.Ordinal));
    }

    private InfluxOptions Options() => new()
    {
        BaseAddress = influxd.BaseAddress, Database = Database, Username = InfluxdFixture.AdminUser, Password = InfluxdFixture.AdminPassword,
    };
}
