using Microsoft.Extensions.Logging;
using Predictor.Core.Alerts;
using Predictor.Core.Configuration;
using Predictor.Core.Telemetry;
using Predictor.Telemetry.Influx;
using Predictor.Telemetry.Mapping;
using Predictor.Telemetry.Push;
using Predictor.Telemetry.Spool;

namespace Predictor.Daemon.Telemetry;

/// <summary>
/// <c>predictor ingest</c>'s parts: the push handler, which maps what arrives to signals and counts them, and with
/// forwarding the durable spool and the forwarder that replays it to InfluxDB in order. The HTTP layer serves the handler.
/// </summary>
public sealed class StandaloneIngest : IDisposable
{
    private readonly CountingSink _sink = new();
    private readonly SignalMapper _mapper;
    private readonly DiskSpool? _spool;
    private readonly SpoolForwarder? _forwarder;

    public StandaloneIngest(PushOptions push, SpoolOptions spool, InfluxOptions influx, IAlertPublisher alerts, HttpClient http, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(push);
        ArgumentNullException.ThrowIfNull(loggers);
        _mapper = new SignalMapper(new SignalMappingOptions(), _sink);
        _spool = push.Forward ? new DiskSpool(spool, time, loggers.CreateLogger<DiskSpool>()) : null;
        Handler = new InfluxPushHandler(push, _mapper, _spool, alerts, time, loggers.CreateLogger<InfluxPushHandler>());
        _forwarder = _spool is null ? null : new SpoolForwarder(
            _spool, new InfluxClient(http, influx, time, loggers.CreateLogger<InfluxClient>()), DeadLetterFile.For(spool), alerts, time, loggers.CreateLogger<SpoolForwarder>());
    }

    /// <summary>The handler of <c>/write</c>, <c>/api/v2/write</c> and <c>/ping</c>.</summary>
    public InfluxPushHandler Handler { get; }

    /// <summary>Every problem of the options, together: the spool's and InfluxDB's only when forwarding.</summary>
    public static IReadOnlyList<string> Errors(PushOptions push, SpoolOptions spool, InfluxOptions influx)
    {
        ArgumentNullException.ThrowIfNull(push);
        return [.. OptionsGuard.Errors(push).Concat(push.Forward ? OptionsGuard.Errors(spool).Concat(OptionsGuard.Errors(influx)) : [])];
    }

    /// <summary>Replays the spool to InfluxDB until <paramref name="cancellationToken"/> fires; done at once without forwarding.</summary>
    public Task ForwardAsync(CancellationToken cancellationToken) => _forwarder?.RunAsync(cancellationToken) ?? Task.CompletedTask;

    /// <summary>The closing line: samples mapped and field values that were not.</summary>
    public string Report()
    {
        var report = _mapper.Report();
        return $"ingest: {_sink.Count} samples mapped, {report.Unmapped} unmapped field values, {report.MissingHostTag} without a host tag";
    }

    public void Dispose() => _spool?.Dispose();

    private sealed class CountingSink : ITelemetrySink
    {
        private long _count;

        public long Count => Interlocked.Read(ref _count);

        public void Write(in TelemetrySample sample) => Interlocked.Increment(ref _count);
    }
}
