using System.Collections.Immutable;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Predictor.Core.Alerts;
using Predictor.Core.Inventory;
using Predictor.Daemon.Features;

namespace Predictor.Daemon.Pipeline;

/// <summary>
/// Reads the inventory and builds the features of every watched host with fresh telemetry, the streaming detectors'
/// outputs included (<see cref="HostFeatureSource"/>). A host whose telemetry is stale is never assessed or evacuated; when a large share of hosts is
/// stale the pass raises <see cref="AlertConditions.TelemetryStale"/> (and resolves it when the share drops).
/// </summary>
internal sealed class FeatureStage(
    IDatacenter datacenter, HostFeatureSource source, QuarantineSet quarantine, PipelineOptions options, IAlertPublisher alerts, ILogger logger)
{
    private readonly HashSet<string> _stale = new(StringComparer.Ordinal);
    private bool _staleAlertActive;

    /// <summary>Hosts whose telemetry was stale at the last pass.</summary>
    public int StaleCount => _stale.Count;

    /// <summary>Hosts the last pass watched: active, in maintenance or quarantined.</summary>
    public int WatchedCount { get; private set; }

    public async ValueTask RunAsync(PassContext pass, CancellationToken cancellationToken)
    {
        var inventory = datacenter.Inventory();
        pass.Inventory = inventory.WithHostStates(quarantine.StatesOver(inventory));
        var watched = 0;
        foreach (var host in pass.Inventory.Hosts.Where(h => h.State is HostState.Active or HostState.Maintenance or HostState.Quarantined))
        {
            watched++;
            var features = source.Features(host.Id, pass.Now);
            if (features.IsStale(options.StaleAfter))
            {
                if (_stale.Add(host.Id))
                {
                    Log.HostStale(logger, host.Id, features.LastSeen?.ToString("u", CultureInfo.InvariantCulture) ?? "never");
                }

                continue;
            }

            _stale.Remove(host.Id);
            pass.Fresh.Add(features);
        }

        WatchedCount = watched;
        await AlertOnStaleShareAsync(watched, pass.Fresh.Count, pass.Now, cancellationToken).ConfigureAwait(false);
    }

    private async Task AlertOnStaleShareAsync(int watched, int freshCount, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var share = watched == 0 ? 0 : (double)(watched - freshCount) / watched;
        var firing = share >= options.StaleShareAlert && watched > 0;
        if (firing == _staleAlertActive)
        {
            return;
        }

        _staleAlertActive = firing;
        await alerts.PublishAsync(Alert.Raise(
            AlertConditions.TelemetryStale, null,
            $"{watched - freshCount} of {watched} hosts ({share * 100:0}%) have no telemetry newer than {options.StaleAfter}; they are not assessed until it returns",
            now, ImmutableDictionary<string, string>.Empty.Add("stale", (watched - freshCount).ToString(CultureInfo.InvariantCulture)),
            resolved: !firing), cancellationToken).ConfigureAwait(false);
    }
}
