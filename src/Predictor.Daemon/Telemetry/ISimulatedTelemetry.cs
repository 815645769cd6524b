using Predictor.Core.Telemetry;
using Predictor.Telemetry.Influx;

namespace Predictor.Daemon.Telemetry;

/// <summary>
/// The simulated datacenter's telemetry and the paths it can be handed over on. Registered only when the daemon runs
/// on the simulated datacenter (<c>UseSimulatedDatacenter</c>); a real fleet's telemetry comes from its own hosts.
/// </summary>
public interface ISimulatedTelemetry
{
    /// <summary>The embedded default: the fleet writes its samples straight into the pass's sink.</summary>
    ITelemetrySource InProcess { get; }

    /// <summary>The simulated hosts, one scrape target each when the simulator is scraped.</summary>
    IReadOnlyList<string> Hosts { get; }

    /// <summary>Line protocol POSTed to an InfluxDB-compatible <c>/write</c> at <paramref name="baseAddress"/>.</summary>
    ITelemetryEmitter CreatePushEmitter(HttpClient http, Func<CancellationToken, Task<Uri>> baseAddress, string database, string? token, int batchBytes);

    /// <summary>Line protocol written to InfluxDB through <paramref name="client"/>.</summary>
    ITelemetryEmitter CreateInfluxEmitter(InfluxClient client);

    /// <summary>Each simulated host served as a node_exporter at <see cref="SimulatedScrape.PathPrefix"/>.</summary>
    IScrapeExposition CreateScrapeExposition(TimeProvider time);
}

/// <summary>
/// Hands the simulated fleet's telemetry over a real path at each pass; the pass waits until the path has taken it, so a
/// scenario on the virtual clock ingests what the in-process path would.
/// </summary>
public interface ITelemetryEmitter
{
    /// <summary>What the emitter writes to, for logs.</summary>
    string Target { get; }

    /// <summary>Lines (or exposed samples) handed over since start.</summary>
    long LinesSent { get; }

    /// <summary>Hands over the telemetry up to <paramref name="now"/>; throws when the target refuses it or cannot be reached.</summary>
    Task EmitUntilAsync(DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>The simulated hosts as node_exporters, served by the daemon's own listener.</summary>
public interface IScrapeExposition : ITelemetryEmitter
{
    /// <summary>The status and body the host's exposition answers: 404 for a host not in the fleet, 503 once it has failed.</summary>
    (int Status, string Body) Render(string host);
}

/// <summary>Where the simulated node_exporters are served.</summary>
public static class SimulatedScrape
{
    public const string PathPrefix = "/simulation/metrics/";
}

/// <summary>The daemon's own HTTP address once its listener is bound, for the simulator to push to or scrape from.</summary>
public interface IOwnAddress
{
    Task<Uri> GetAsync(CancellationToken cancellationToken);
}
