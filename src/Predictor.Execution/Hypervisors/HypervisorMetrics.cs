using System.Diagnostics.Metrics;

namespace Predictor.Execution.Hypervisors;

/// <summary>What the hypervisor adapters measure, on the <c>Predictor.Execution.Hypervisors</c> meter.</summary>
internal sealed class HypervisorMetrics
{
    public const string MeterName = "Predictor.Execution.Hypervisors";

    private readonly Histogram<double> _migrationDuration;
    private readonly Histogram<double> _migrationDowntime;
    private readonly Histogram<double> _pause;
    private readonly Counter<long> _migrationFailures;
    private readonly Histogram<double> _hotRestartBlackout;

    public HypervisorMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _migrationDuration = meter.CreateHistogram<double>("predictor.hypervisor.migration.duration", "s", "Live migration time, start to the VM running on the destination");
        _migrationDowntime = meter.CreateHistogram<double>("predictor.hypervisor.migration.downtime", "s", "Switch-over pause the hypervisor reported");
        _pause = meter.CreateHistogram<double>("predictor.hypervisor.pause.duration", "s", "Memory-preserving pause, stop to resume");
        _hotRestartBlackout = meter.CreateHistogram<double>("predictor.hypervisor.hot_restart.blackout", "s", "Hot-restart pause of one VM, the old process stopping it to the new one resuming it");
        _migrationFailures = meter.CreateCounter<long>("predictor.hypervisor.migration.failures", "{migration}", "Live migrations that failed and were cancelled");
    }

    public void RecordMigration(TimeSpan duration, TimeSpan downtime, string hypervisor)
    {
        var tag = new KeyValuePair<string, object?>("hypervisor", hypervisor);
        _migrationDuration.Record(duration.TotalSeconds, tag);
        _migrationDowntime.Record(downtime.TotalSeconds, tag);
    }

    public void RecordPause(TimeSpan pause, string hypervisor) =>
        _pause.Record(pause.TotalSeconds, new KeyValuePair<string, object?>("hypervisor", hypervisor));

    public void RecordHotRestart(TimeSpan blackout, string hypervisor) =>
        _hotRestartBlackout.Record(blackout.TotalSeconds, new KeyValuePair<string, object?>("hypervisor", hypervisor));

    public void RecordMigrationFailure(string hypervisor) =>
        _migrationFailures.Add(1, new KeyValuePair<string, object?>("hypervisor", hypervisor));
}
