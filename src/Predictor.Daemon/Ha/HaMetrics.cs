using System.Diagnostics.Metrics;

namespace Predictor.Daemon.Ha;

/// <summary>
/// Elections as on-call sees them, on the <c>Predictor.Daemon.Ha</c> meter: who leads, how fresh the lease is, terms won
/// and lost. The leadership is read when measured, so the meter exists (and is exported) before the options behind the
/// leadership are validated at start.
/// </summary>
public sealed class HaMetrics
{
    public const string MeterName = "Predictor.Daemon.Ha";

    private readonly Counter<long> _elections;
    private readonly Counter<long> _standDowns;
    private readonly Counter<long> _claimFailures;

    public HaMetrics(IMeterFactory meterFactory, Func<Leadership> leadership)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(leadership);
        var meter = meterFactory.Create(MeterName);
        _elections = meter.CreateCounter<long>("predictor.ha.elections", "{term}", "Terms this daemon won: times it took the lease");
        _standDowns = meter.CreateCounter<long>("predictor.ha.stand_downs", "{term}", "Times this daemon stopped leading (lease lost or not renewed, fenced, stopping)");
        _claimFailures = meter.CreateCounter<long>("predictor.ha.lease.claim_failures", "{claim}", "Claims or renewals of the lease that did not reach the shared state");
        meter.CreateObservableGauge("predictor.ha.leader", () => leadership().IsLeader ? 1 : 0, "", "1 while this daemon is the leader (plans and executes)");
        meter.CreateObservableGauge("predictor.ha.fencing_token", () => leadership().Status().FencingToken, "{token}", "The lease's fencing token as last seen");
        meter.CreateObservableGauge("predictor.ha.lease.age", () => leadership().Status().LeaseAgeSeconds ?? 0, "s", "Since the lease was last renewed, by the database's clock");
    }

    internal void Elected() => _elections.Add(1);

    internal void StoodDown() => _standDowns.Add(1);

    internal void ClaimFailed() => _claimFailures.Add(1);
}
