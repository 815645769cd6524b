using Predictor.Core.Configuration;

namespace Predictor.Learning.Rules;

/// <summary>
/// Thresholds of the rule-based assessor: the rules operators use today, kept as the baseline every
/// learned model must beat. Bound from configuration section "Rules".
/// </summary>
[OptionsSection(SectionName)]
public sealed class RuleAssessorOptions
{
    public const string SectionName = "Rules";

    /// <summary>A SMART warning attribute (5, 187, 188, 197, 198) above this raw value fires.</summary>
    /// <value>The default value is 0 (any non-zero count).</value>
    [InRange(0.0, double.MaxValue)]
    public double SmartRawThreshold { get; set; }

    /// <summary>Correctable memory errors per hour above which a DIMM is considered failing.</summary>
    /// <value>The default value is 100.</value>
    [InRange(0.0, double.MaxValue)]
    public double CorrectableErrorsPerHour { get; set; } = 100;

    /// <summary>CPU temperature (°C) above which the host is over-temperature.</summary>
    /// <value>The default value is 90.</value>
    [InRange(0.0, 150.0)]
    public double MaxCpuTemperatureC { get; set; } = 90;

    /// <summary>Fan speed (RPM) below which a fan counts as failed.</summary>
    /// <value>The default value is 1000.</value>
    [InRange(0.0, 100_000.0)]
    public double MinFanRpm { get; set; } = 1000;

    /// <summary>Horizon the rules' probabilities refer to.</summary>
    /// <value>The default value is 7 days.</value>
    public TimeSpan Horizon { get; set; } = TimeSpan.FromDays(7);
}
