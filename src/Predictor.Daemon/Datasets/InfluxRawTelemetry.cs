using Predictor.Core.Telemetry;
using Predictor.Telemetry.Influx;
using Predictor.Telemetry.Mapping;

namespace Predictor.Daemon.Datasets;

/// <summary>Raw telemetry stored in InfluxDB, read back through the daemon's signal mapping (<c>SignalMapping</c>, <c>InfluxPull:Measurements</c>).</summary>
public sealed class InfluxRawTelemetry(HttpClient http, ReplaySettings settings, TimeProvider time) : IRawTelemetry
{
    private readonly InfluxClient _client = new(http, settings.Influx, time);
    private (ITelemetrySink Sink, InfluxPullSource Source)? _reader;

    public string Description => $"InfluxDB {settings.Influx.BaseAddress} database {settings.Influx.Database}";

    /// <summary>Samples the mapping did not take (unknown fields, no host tag), for the run's report.</summary>
    public MappingReport? Report { get; private set; }

    private SignalMapper? _mapper;

    public async Task ReadAsync(DateTimeOffset after, DateTimeOffset until, ITelemetrySink sink, CancellationToken cancellationToken)
    {
        if (_reader is not { } reader || !ReferenceEquals(reader.Sink, sink))
        {
            _mapper = new SignalMapper(settings.Mapping, sink);
            reader = (sink, new InfluxPullSource(_client, _mapper, settings.Pull, time));
            _reader = reader;
        }

        await reader.Source.ReadRangeAsync(after, until, cancellationToken).ConfigureAwait(false);
        Report = _mapper!.Report();
    }
}
