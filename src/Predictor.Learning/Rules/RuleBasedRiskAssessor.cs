using System.Collections.Immutable;
using System.Globalization;
using Predictor.Core.Risk;
using Predictor.Core.Telemetry;

namespace Predictor.Learning.Rules;

/// <summary>
/// The baseline: fixed rules over host features. Each rule that fires adds evidence with a fixed
/// probability; they combine as independent causes (1 − Π(1 − pᵢ)). A host with no rule firing gets
/// probability 0. Rules cannot tell when a failure will come, so <see cref="RiskAssessment.PredictedFailureAt"/> is null.
/// </summary>
public sealed class RuleBasedRiskAssessor(RuleAssessorOptions options) : IRiskAssessor
{
    /// <summary>Probability given by each rule when it fires (how often, in published fleet studies, the sign precedes failure).</summary>
    internal const double SmartProbability = 0.8;
    internal const double UncorrectableProbability = 0.9;
    internal const double CorrectableStormProbability = 0.7;
    internal const double MachineCheckProbability = 0.6;
    internal const double OverTemperatureProbability = 0.7;
    internal const double FanFailedProbability = 0.7;
    internal const double PsuFailedProbability = 0.8;

    private static readonly (string Feature, string Signal, string Label)[] s_smartRules =
    [
        (FeatureNames.SmartReallocatedMax, SignalNames.SmartReallocatedSectors, "reallocated sectors (SMART 5)"),
        (FeatureNames.SmartReportedUncorrectableMax, SignalNames.SmartReportedUncorrectable, "reported uncorrectable errors (SMART 187)"),
        (FeatureNames.SmartCommandTimeoutMax, SignalNames.SmartCommandTimeout, "command timeouts (SMART 188)"),
        (FeatureNames.SmartPendingMax, SignalNames.SmartPendingSectors, "pending sectors (SMART 197)"),
        (FeatureNames.SmartOfflineUncorrectableMax, SignalNames.SmartOfflineUncorrectable, "offline uncorrectable sectors (SMART 198)"),
    ];

    public string Name => "rules";

    public IReadOnlyList<RiskAssessment> Assess(IReadOnlyList<HostFeatures> hosts, DateTimeOffset now)
    {
        var result = new List<RiskAssessment>(hosts.Count);
        foreach (var host in hosts)
        {
            result.Add(Assess(host, now));
        }

        return result;
    }

    public RiskAssessment Assess(HostFeatures host, DateTimeOffset now)
    {
        var evidence = ImmutableArray.CreateBuilder<Evidence>();
        var survival = 1.0;

        void Fire(string signal, double value, double probability, string description)
        {
            evidence.Add(new Evidence(signal, null, value, description, probability));
            survival *= 1 - probability;
        }

        foreach (var (feature, signal, label) in s_smartRules)
        {
            var v = host.Get(feature);
            if (v > options.SmartRawThreshold)
            {
                Fire(signal, v, SmartProbability, $"{label} at {F(v)} on the worst disk, above {F(options.SmartRawThreshold)}");
            }
        }

        var ue = host.Get(FeatureNames.MemoryUncorrectableDelta24h);
        if (ue > 0)
        {
            Fire(SignalNames.MemoryUncorrectableTotal, ue, UncorrectableProbability, $"{F(ue)} uncorrectable memory errors in the last 24 h");
        }

        var ce = host.Get(FeatureNames.MemoryCorrectableRate1h);
        if (ce > options.CorrectableErrorsPerHour)
        {
            Fire(SignalNames.MemoryCorrectableTotal, ce, CorrectableStormProbability, $"{F(ce)} correctable memory errors in the last hour, above {F(options.CorrectableErrorsPerHour)}/h");
        }

        var mce = host.Get(FeatureNames.MachineChecksDelta24h);
        if (mce > 0)
        {
            Fire(SignalNames.MachineChecksTotal, mce, MachineCheckProbability, $"{F(mce)} machine-check events in the last 24 h");
        }

        var temperature = host.Get(FeatureNames.CpuTemperatureLast);
        if (temperature > options.MaxCpuTemperatureC)
        {
            Fire(SignalNames.CpuTemperature, temperature, OverTemperatureProbability, $"CPU at {F(temperature)} °C, above {F(options.MaxCpuTemperatureC)} °C");
        }

        var fan = host.Get(FeatureNames.FanSpeedMin);
        if (fan < options.MinFanRpm)
        {
            Fire(SignalNames.FanSpeed, fan, FanFailedProbability, $"slowest fan at {F(fan)} RPM, below {F(options.MinFanRpm)} RPM");
        }

        var psu = host.Get(FeatureNames.PsuOkMin);
        if (psu < 1)
        {
            Fire(SignalNames.PsuOk, psu, PsuFailedProbability, "a power supply reports failure");
        }

        var ordered = evidence.OrderByDescending(e => e.Weight).ToImmutableArray();
        return new RiskAssessment(host.Host, now, 1 - survival, options.Horizon, null, ordered, Name);
    }

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
