using System.Diagnostics.Metrics;

namespace Predictor.Daemon.Automation;

/// <summary>What the automation controls report, on the <c>Predictor.Daemon.Automation</c> meter.</summary>
internal sealed class AutomationMetrics
{
    public const string MeterName = "Predictor.Daemon.Automation";

    private readonly Counter<long> _guardTrips;
    private readonly Counter<long> _killSwitches;

    public AutomationMetrics(IMeterFactory meterFactory, Func<AutomationStatus> status)
    {
        var meter = meterFactory.Create(MeterName);
        _guardTrips = meter.CreateCounter<long>("predictor.automation.guard.trips", "{trip}", "Times the blast-radius guard stopped automation");
        _killSwitches = meter.CreateCounter<long>("predictor.automation.kill_switch.engagements", "{engagement}", "Times the kill switch was engaged");
        meter.CreateObservableGauge("predictor.automation.stopped", () =>
        {
            var current = status();
            return new Measurement<int>(current.Stopped ? 1 : 0, new KeyValuePair<string, object?>("state", current.State));
        }, "{state}", "1 while a pause, the blast-radius guard or the kill switch stops automation");
    }

    public void GuardTripped() => _guardTrips.Add(1);

    public void KillSwitchEngaged() => _killSwitches.Add(1);
}
