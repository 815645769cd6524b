using System.ComponentModel.DataAnnotations;
using Predictor.Core.Configuration;

namespace Predictor.Learning.TimeSeries.Streaming;

/// <summary>Options of <see cref="HostSignalDetectors"/>. Detector defaults are ML.NET's except <see cref="ChangeHistoryLength"/>.</summary>
[OptionsSection(SectionName)]
public sealed class HostSignalDetectorOptions : IValidatableObject
{
    public const string SectionName = "Detectors";

    /// <summary>Confidence of the IID spike detector, in (0, 100).</summary>
    /// <value>The default value is 99.</value>
    [InRange(0.0, 100.0, MinimumIsExclusive = true, MaximumIsExclusive = true)]
    public double SpikeConfidence { get; set; } = 99;

    /// <summary>P-value history of the spike detector, in points. Dominates memory: 4 bytes per point per series.</summary>
    /// <value>The default value is 100.</value>
    [InRange(2, int.MaxValue)]
    public int SpikeHistoryLength { get; set; } = 100;

    /// <summary>Confidence of the IID change-point detector, in (0, 100).</summary>
    /// <value>The default value is 95.</value>
    [InRange(0.0, 100.0, MinimumIsExclusive = true, MaximumIsExclusive = true)]
    public double ChangeConfidence { get; set; } = 95;

    /// <summary>
    /// History and martingale window of the change-point detector, in points. Shorter than ML.NET's 20 on purpose:
    /// with uniform p-values a window of n bets sums to about n·(ln 0.1 + 0.9) ≈ −1.4n in log scale, and one
    /// extreme p-value adds at most about 15.7, so at 20 a clean level shift in noise rarely reaches the threshold;
    /// at 12 a level shift alerts within a few samples while a lone spike does not.
    /// </summary>
    /// <value>The default value is 12.</value>
    [InRange(2, int.MaxValue)]
    public int ChangeHistoryLength { get; set; } = 12;

    /// <summary>Martingale of the change-point detector.</summary>
    /// <value>The default value is <see cref="MartingaleType.Power"/>.</value>
    public MartingaleType Martingale { get; set; } = MartingaleType.Power;

    /// <summary>ε of the power martingale, in (0, 1).</summary>
    /// <value>The default value is 0.1.</value>
    [InRange(0.0, 1.0, MinimumIsExclusive = true, MaximumIsExclusive = true)]
    public double PowerMartingaleEpsilon { get; set; } = 0.1;

    /// <summary>How long an alert stays evidence and counts in the <c>*_alerts</c> features.</summary>
    /// <value>The default value is 24 hours.</value>
    [InRange(typeof(TimeSpan), "00:00:00", InRangeAttribute.Unbounded, MinimumIsExclusive = true)]
    public TimeSpan EvidenceRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Alerts kept per series (the newest); older ones are dropped even inside the retention.</summary>
    /// <value>The default value is 8.</value>
    [InRange(1, int.MaxValue)]
    public int MaxEventsPerSeries { get; set; } = 8;

    /// <summary>
    /// A series is scored at most once per this interval: the first sample of each interval goes to the detectors,
    /// later ones within it only to the windows (a counter's increase then spans the whole interval). The detectors
    /// are tuned for minute-scale series; denser telemetry (a 10 s Telegraf interval, pushes without timestamps)
    /// would otherwise cost one O(history) score per sample and shift their statistics. Zero scores every sample.
    /// </summary>
    /// <value>The default value is 1 minute.</value>
    [InRange(typeof(TimeSpan), "00:00:00", InRangeAttribute.Unbounded)]
    public TimeSpan MinInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Shape vectors each series' novelty detector (<see cref="Novelty.NoveltyDetector"/>) compares the newest with; 0 turns
    /// it off. It judges distances against the last half of that many and reports an episode once per tenth of it.
    /// Memory: about 21 bytes per vector per series (about 5 KB at 240, four hours of one-minute samples). Off by default:
    /// it would triple a series' memory (a fleet of 50,000 hosts with some 50 series each would need about 12 GB more).
    /// </summary>
    /// <value>The default value is 0 (off); 240 is the setting README's figures use.</value>
    [InRange(0, int.MaxValue)]
    public int NoveltyHistory { get; set; }

    /// <summary>The rule no attribute states: the martingale is one of <see cref="MartingaleType"/>.</summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (NoveltyHistory is > 0 and < 8)
        {
            yield return new ValidationResult($"{SectionName}:{nameof(NoveltyHistory)} must be 0 (off) or at least 8, got {NoveltyHistory}", [nameof(NoveltyHistory)]);
        }

        if (!Enum.IsDefined(Martingale))
        {
            yield return OptionsError.Invalid($"{SectionName}:{nameof(Martingale)}", "unknown martingale", Martingale, string.Join(", ", Enum.GetNames<MartingaleType>()));
        }
    }
}
