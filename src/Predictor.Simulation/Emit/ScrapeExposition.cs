using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using Predictor.Core.Telemetry;
using Predictor.Daemon.Telemetry;
using Predictor.Simulation.Output;

namespace Predictor.Simulation.Emit;

/// <summary>
/// The simulated hosts as node_exporters: each pass stores the newest sample of every series, and the daemon serves
/// them per host at <c>/simulation/metrics/{host}</c> in the Prometheus text format (one family per signal, the
/// component as a <c>disk</c>, <c>dimm</c>, <c>fan</c>, <c>psu</c> or <c>nic</c> label, the sample's own timestamp), for the
/// scraper to read like any other target. A host that has failed answers 503, as a dead node would. Like a real
/// scrape, only the newest sample of a series is seen: when the simulator's interval is shorter than the pass
/// interval the samples in between are not ingested.
/// </summary>
internal sealed class ScrapeExposition(SimulatedFleet fleet, TimeProvider time) : SimulatedTelemetryEmitter(fleet), IScrapeExposition
{
    private readonly ConcurrentDictionary<string, HostExposition> _hosts = new(StringComparer.Ordinal);
    private readonly FrozenDictionary<string, DateTimeOffset> _failsAt = fleet.Failures.ToFrozenDictionary(f => f.Host, f => f.FailsAt, StringComparer.Ordinal);

    public override string Target => "the daemon's " + SimulatedScrape.PathPrefix + "{host}";

    /// <summary>The status and body <c>/simulation/metrics/{host}</c> answers: 404 for a host not in the fleet, 503 once it has failed.</summary>
    public (int Status, string Body) Render(string host)
    {
        if (!Fleet.Inventory.TryGetHost(host, out _))
        {
            return (404, $"host {host} is not in the simulated fleet\n");
        }

        if (_failsAt.TryGetValue(host, out var at) && at <= time.GetUtcNow())
        {
            return (503, $"host {host} failed at {at:u}\n");
        }

        return (200, _hosts.TryGetValue(host, out var exposition) ? exposition.Render() : "");
    }

    protected override Task<long> EmitAsync(DateTimeOffset fromExclusive, DateTimeOffset toInclusive, CancellationToken cancellationToken)
    {
        var sink = new LatestSink(this);
        Fleet.EmitTelemetry(fromExclusive, toInclusive, sink);
        return Task.FromResult(sink.Count);
    }

    private sealed class LatestSink(ScrapeExposition owner) : ITelemetrySink
    {
        public long Count { get; private set; }

        public void Write(in TelemetrySample sample)
        {
            owner._hosts.GetOrAdd(sample.Host, static _ => new HostExposition()).Set(sample);
            Count++;
        }
    }

    private sealed class HostExposition
    {
        private readonly SortedDictionary<(string Signal, string Component), (DateTimeOffset Time, double Value)> _latest = new();

        public void Set(in TelemetrySample sample)
        {
            lock (_latest)
            {
                _latest[(sample.Signal, sample.Component ?? "")] = (sample.Time, sample.Value);
            }
        }

        public string Render()
        {
            var text = new StringBuilder();
            lock (_latest)
            {
                foreach (var ((signal, component), (at, value)) in _latest)
                {
                    var label = component.Length == 0 ? "" : $"{{{TelemetryMeasurements.Of(signal).ComponentTag}=\"{component.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"}}";
                    text.Append(CultureInfo.InvariantCulture, $"{signal}{label} {value.ToString("R", CultureInfo.InvariantCulture)} {at.ToUnixTimeMilliseconds()}\n");
                }
            }

            return text.ToString();
        }
    }
}
