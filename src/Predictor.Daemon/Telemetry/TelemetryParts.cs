using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Predictor.Core.Alerts;
using Predictor.Core.Telemetry;
using Predictor.Learning.TimeSeries.Streaming;
using Predictor.Core.Time;
using Predictor.Telemetry.Influx;
using Predictor.Telemetry.Mapping;
using Predictor.Telemetry.Push;
using Predictor.Telemetry.Scrape;
using Predictor.Telemetry.Spool;
using Predictor.Telemetry.Windows;
using Predictor.Core.Inventory;

namespace Predictor.Daemon.Telemetry;

/// <summary>
/// The telemetry source chosen by <c>Telemetry:Source</c>, built once from validated options: the source the pipeline
/// calls each pass, and for pushes the handler behind <c>/write</c>, the spool and its forwarder. Network I/O (HTTP
/// retries, timeouts, spool fsync and forwarding backoff) runs on the real clock; sample times and the pull's look-back
/// use the daemon's clock, which a scenario advances virtually.
/// </summary>
internal sealed class TelemetryParts : IDisposable
{
    /// <summary>The named HTTP client of the telemetry paths (InfluxDB, scrapes, the simulator's pushes).</summary>
    public const string HttpClientName = "Predictor.Telemetry";

    private readonly HttpClient? _http;

    private TelemetryParts(ITelemetrySource source, TelemetryStatus status, HttpClient? http, InfluxPushHandler? pushHandler, DiskSpool? spool, SpoolForwarder? forwarder, IScrapeExposition? exposition = null)
    {
        Exposition = exposition;
        Source = source;
        Status = status;
        _http = http;
        PushHandler = pushHandler;
        Spool = spool;
        Forwarder = forwarder;
    }

    public ITelemetrySource Source { get; }

    public TelemetryStatus Status { get; }

    public InfluxPushHandler? PushHandler { get; }

    public DiskSpool? Spool { get; }

    public SpoolForwarder? Forwarder { get; }

    /// <summary>The simulated node_exporters, when the simulator emits for scraping.</summary>
    public IScrapeExposition? Exposition { get; }

    public static TelemetryParts Create(IServiceProvider sp)
    {
        var settings = sp.GetRequiredService<IOptions<TelemetrySettings>>().Value;
        var emitSettings = sp.GetRequiredService<IOptions<SimulationEmitSettings>>().Value;
        var logger = sp.GetRequiredService<ILoggerFactory>();
        // only the simulated datacenter emits simulated telemetry: a real fleet's comes from its own hosts
        var simulated = sp.GetService<ISimulatedTelemetry>();
        var network = sp.GetRequiredKeyedService<TimeProvider>(PredictorClocks.Network);
        var scrape = sp.GetRequiredService<IOptions<ScrapeOptions>>().Value;
        var emit = simulated is null ? SimulationEmitKind.None : emitSettings.Resolve(settings.Source, scrape.Targets.Count > 0);
        if (settings.Source == TelemetrySourceKind.Simulator)
        {
            Log.SourceChosen(logger.CreateLogger<TelemetryParts>(), settings.Source, emit, "");
            return new TelemetryParts(
                simulated?.InProcess ?? ActivatorUtilities.CreateInstance<Datacenter.NoTelemetryConfigured>(sp), new TelemetryStatus(settings.Source, emit, null, null, null), null, null, null, null);
        }

        var time = sp.GetRequiredService<TimeProvider>();
        var influx = sp.GetRequiredService<IOptions<InfluxOptions>>().Value;
        var datacenter = sp.GetRequiredService<IDatacenter>();
        var knownHosts = new KnownHosts(datacenter.Inventory());
        var mapper = new SignalMapper(sp.GetRequiredService<IOptions<SignalMappingOptions>>().Value, WindowsSink(sp), knownHosts);
        // timeouts are per attempt, by the Influx resilience pipeline and the scrape options
        var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName);

        InfluxPushHandler? handler = null;
        DiskSpool? spool = null;
        SpoolForwarder? forwarder = null;
        Func<CancellationToken, Task>? read = null;
        IScrapeExposition? exposition = null;
        switch (settings.Source)
        {
            case TelemetrySourceKind.Push:
                var push = sp.GetRequiredService<IOptions<PushOptions>>().Value;
                if (push.Forward)
                {
                    var spoolOptions = sp.GetRequiredService<IOptions<SpoolOptions>>().Value;
                    spool = new DiskSpool(spoolOptions, network, logger.CreateLogger<DiskSpool>());
                    SpoolGauges(sp, spool);
                    forwarder = new SpoolForwarder(
                        spool, new InfluxClient(http, influx, network, logger.CreateLogger<InfluxClient>()), DeadLetterFile.For(spoolOptions),
                        sp.GetRequiredService<IAlertPublisher>(), network, logger.CreateLogger<SpoolForwarder>());
                }

                // certificate validity is a matter of the machine's clock, not of a scenario's
                var certificates = push.ClientCertificates == PushClientCertificates.None ? null : new ClientCertificateTrust(push.ClientCaFile!, network);
                handler = new InfluxPushHandler(push, mapper, spool, sp.GetRequiredService<IAlertPublisher>(), time, logger.CreateLogger<InfluxPushHandler>(), certificates);
                break;
            case TelemetrySourceKind.Pull:
                var pull = new InfluxPullSource(
                    new InfluxClient(http, influx, network, logger.CreateLogger<InfluxClient>()), mapper,
                    sp.GetRequiredService<IOptions<InfluxPullOptions>>().Value, time, logger.CreateLogger<InfluxPullSource>());
                read = async ct => await pull.PullOnceAsync(ct).ConfigureAwait(false);
                break;
            default:
                var signals = sp.GetRequiredService<IOptions<SignalMappingOptions>>().Value.Signals;
                NodeExporterScraper Scraper(ScrapeOptions options) => new(options, http, mapper, signals, time, network, logger.CreateLogger<NodeExporterScraper>());
                if (emit == SimulationEmitKind.Scrape)
                {
                    // the simulated hosts' targets are on the daemon's own listener, known once it is bound
                    exposition = simulated!.CreateScrapeExposition(time);
                    NodeExporterScraper? scraper = null;
                    var hosts = simulated.Hosts;
                    read = async ct => await (scraper ??= Scraper(SimulatedTargets(scrape, hosts, await OwnAddressAsync(sp, ct).ConfigureAwait(false)))).ScrapeAllAsync(ct).ConfigureAwait(false);
                }
                else
                {
                    read = Scraper(scrape).ScrapeAllAsync;
                }

                break;
        }

        ITelemetryEmitter? emitter = emit switch
        {
            SimulationEmitKind.Push => simulated!.CreatePushEmitter(
                http, emitSettings.EmitUrl is { } url ? _ => Task.FromResult(url) : ct => OwnAddressAsync(sp, ct),
                influx.Database, emitSettings.EmitToken ?? (emitSettings.EmitUrl is null ? sp.GetRequiredService<IOptions<PushOptions>>().Value.Tokens.FirstOrDefault() : null),
                emitSettings.EmitBatchBytes),
            SimulationEmitKind.Influx => simulated!.CreateInfluxEmitter(new InfluxClient(
                http, emitSettings.EmitUrl is { } influxUrl ? Copy(influx, influxUrl) : influx, network, logger.CreateLogger<InfluxClient>())),
            SimulationEmitKind.Scrape => exposition,
            _ => null,
        };
        Log.SourceChosen(logger.CreateLogger<TelemetryParts>(), settings.Source, emit, emitter is null ? "" : emit == SimulationEmitKind.Push && emitSettings.EmitUrl is null ? " to the daemon's own /write" : " to " + emitter.Target);
        var source = new MappedTelemetrySource(settings.Source, mapper, knownHosts, datacenter, emitter, read, logger.CreateLogger<MappedTelemetrySource>());
        return new TelemetryParts(source, new TelemetryStatus(settings.Source, emit, mapper, spool, emitter), http, handler, spool, forwarder, exposition);
    }

    public void Dispose()
    {
        Spool?.Dispose();
        _http?.Dispose();
    }

    /// <summary>How full the push spool is, for the "spool filling" alert before pushes are refused.</summary>
    private static void SpoolGauges(IServiceProvider sp, DiskSpool spool)
    {
        var meter = sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>().Create(new System.Diagnostics.Metrics.MeterOptions(TelemetryMetrics.MeterName));
        meter.CreateObservableGauge("predictor.telemetry.spool.pending", () => spool.PendingBytes, "By", "Bytes waiting in the push spool for InfluxDB");
        meter.CreateObservableGauge("predictor.telemetry.spool.capacity", () => spool.MaxBytes, "By", "Bytes the push spool may hold before pushes are refused");
    }

    /// <summary>The windows and the streaming detectors, as the pipeline writes them.</summary>
    private static ITelemetrySink WindowsSink(IServiceProvider sp)
    {
        var store = sp.GetRequiredService<HostWindowStore>();
        return sp.GetService<HostSignalDetectors>() is { } detectors ? new TeeSink(store, detectors) : store;
    }

    /// <summary>The daemon's own HTTP address, once its listener is bound (a scenario binds port 0).</summary>
    private static Task<Uri> OwnAddressAsync(IServiceProvider sp, CancellationToken cancellationToken) =>
        sp.GetService<IOwnAddress>()?.GetAsync(cancellationToken)
        ?? throw new InvalidOperationException("The daemon has no HTTP listener for the simulator to push to or scrape; set Simulation:EmitUrl.");

    /// <summary>The configured scrape options with one target per simulated host, served by <see cref="IScrapeExposition"/>.</summary>
    private static ScrapeOptions SimulatedTargets(ScrapeOptions o, IReadOnlyList<string> hosts, Uri own) => new()
    {
        Interval = o.Interval,
        Timeout = o.Timeout,
        Rules = o.Rules,
        Targets = [.. hosts.Select(h => new ScrapeTarget { Host = h, Url = new Uri(own, SimulatedScrape.PathPrefix.TrimStart('/') + Uri.EscapeDataString(h)) })],
    };

    private static InfluxOptions Copy(InfluxOptions o, Uri baseAddress) => new()
    {
        BaseAddress = baseAddress,
        Database = o.Database,
        RetentionPolicy = o.RetentionPolicy,
        Username = o.Username,
        Password = o.Password,
        Token = o.Token,
        Precision = o.Precision,
        BatchLines = o.BatchLines,
        Gzip = o.Gzip,
        AttemptTimeout = o.AttemptTimeout,
        MaxRetries = o.MaxRetries,
        RetryDelay = o.RetryDelay,
        BreakDuration = o.BreakDuration,
        QueryChunkSize = o.QueryChunkSize,
    };
}
