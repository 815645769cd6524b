using System.Diagnostics.Metrics;
using Predictor.Daemon.Metrics;

namespace Predictor.Daemon.Tests.Metrics;

public sealed class PrometheusExporterTests
{
    [Fact]
    public void Scrape_CounterGaugeAndHistogram_WritesTheExpositionFormat()
    {
        var prefix = "PredictorTest" + Guid.NewGuid().ToString("N");
        using var exporter = new PrometheusExporter(prefix);
        using var meter = new Meter(prefix + ".X");
        var moves = meter.CreateCounter<long>("test.moves", "{move}", "Moves done");
        var pause = meter.CreateHistogram<double>("test.pause", "s", "Pause per step");
        meter.CreateObservableGauge("test.hosts-at.risk", () => 3, "{host}", "Hosts\\at risk");
        moves.Add(2, new KeyValuePair<string, object?>("kind", "live"), new KeyValuePair<string, object?>("outcome", "ok"));
        moves.Add(1, new KeyValuePair<string, object?>("outcome", "ok"), new KeyValuePair<string, object?>("kind", "live"));
        moves.Add(1, new KeyValuePair<string, object?>("kind", "say \"hi\"\n"));
        pause.Record(0.004);
        pause.Record(0.5);
        pause.Record(5000);

        var text = exporter.Scrape();

        Assert.Equal(
            """
            # HELP test_hosts_at_risk Hosts\\at risk
            # TYPE test_hosts_at_risk gauge
            test_hosts_at_risk 3
            # HELP test_moves_total Moves done
            # TYPE test_moves_total counter
            test_moves_total{kind="live",outcome="ok"} 3
            test_moves_total{kind="say \"hi\"\n"} 1
            # HELP test_pause_seconds Pause per step
            # TYPE test_pause_seconds histogram
            test_pause_seconds_bucket{le="0.001"} 0
            test_pause_seconds_bucket{le="0.005"} 1
            test_pause_seconds_bucket{le="0.01"} 1
            test_pause_seconds_bucket{le="0.025"} 1
            test_pause_seconds_bucket{le="0.05"} 1
            test_pause_seconds_bucket{le="0.1"} 1
            test_pause_seconds_bucket{le="0.25"} 1
            test_pause_seconds_bucket{le="0.5"} 2
            test_pause_seconds_bucket{le="1"} 2
            test_pause_seconds_bucket{le="2.5"} 2
            test_pause_seconds_bucket{le="5"} 2
            test_pause_seconds_bucket{le="10"} 2
            test_pause_seconds_bucket{le="30"} 2
            test_pause_seconds_bucket{le="60"} 2
            test_pause_seconds_bucket{le="300"} 2
            test_pause_seconds_bucket{le="1800"} 2
            test_pause_seconds_bucket{le="+Inf"} 3
            test_pause_seconds_sum 5000.504
            test_pause_seconds_count 3

            """.Replace("\r\n", "\n", StringComparison.Ordinal), text);
    }

    [Fact]
    public void Scrape_MetersOutsideThePrefix_AreNotExported()
    {
        var prefix = "PredictorTest" + Guid.NewGuid().ToString("N");
        using var exporter = new PrometheusExporter(prefix);
        using var other = new Meter("Other" + prefix);
        other.CreateCounter<long>("other.count").Add(1);

        Assert.Equal("", exporter.Scrape());
    }
}
