using Predictor.Learning.TimeSeries.Scoring;

namespace Predictor.Learning.TimeSeries.Iid;

/// <summary>Options of <see cref="IidChangePointDetector"/>; names and defaults are ML.NET's <c>DetectIidChangePoint</c>.</summary>
public sealed record IidChangePointDetectorOptions
{
    /// <summary>Confidence in (0, 100) that sets the martingale alert threshold.</summary>
    /// <value>The default value is 95.</value>
    public double Confidence { get; init; } = 95;

    /// <summary>Length of the p-value history and of the martingale's window of bets.</summary>
    /// <value>The default value is 20.</value>
    public int ChangeHistoryLength { get; init; } = 20;

    /// <summary>The martingale.</summary>
    /// <value>The default value is <see cref="MartingaleType.Power"/>.</value>
    public MartingaleType Martingale { get; init; } = MartingaleType.Power;

    /// <summary>ε of the power martingale, in (0, 1).</summary>
    /// <value>The default value is 0.1.</value>
    public double PowerMartingaleEpsilon { get; init; } = 0.1;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        OptionChecks.Confidence(errors, nameof(Confidence), Confidence);
        OptionChecks.AtLeast(errors, nameof(ChangeHistoryLength), ChangeHistoryLength, 1);
        OptionChecks.Defined(errors, nameof(Martingale), Martingale);
        OptionChecks.Epsilon(errors, nameof(PowerMartingaleEpsilon), PowerMartingaleEpsilon);
        return errors;
    }
}

/// <summary>
/// Change points in an i.i.d. series (ML.NET <c>IidChangePointDetector</c>): two-sided kernel p-values of each
/// value against the last <c>ChangeHistoryLength</c> values feed a power or mixture martingale over the last
/// <c>ChangeHistoryLength</c> bets; a point alerts when the martingale reaches
/// <see cref="AlertThreshold"/> (the martingale of a full window of p-values equal to <c>1 − Confidence/100</c>),
/// after which alerts are muted for <c>ChangeHistoryLength</c> points.
/// Outputs Alert, Raw Score, P-Value, Martingale; <see cref="AnomalyScore.Score"/> is
/// <c>clamp(ln M / ln threshold, 0, 1)</c>, 1 at the alert threshold.
/// </summary>
public sealed class IidChangePointDetector : IStreamingAnomalyDetector
{
    private readonly SequentialAnomalyScorer _scorer;

    public IidChangePointDetector(IidChangePointDetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        DetectorOptionsException.ThrowIfAny([.. options.Validate()]);
        Options = options;
        double threshold = MartingaleMath.ChangePointThreshold(options.Confidence, options.ChangeHistoryLength, options.Martingale, options.PowerMartingaleEpsilon);
        _scorer = new SequentialAnomalyScorer(options.ChangeHistoryLength, AnomalySide.TwoSided, AlertOn.Martingale, options.Martingale, options.PowerMartingaleEpsilon, threshold);
    }

    public IidChangePointDetectorOptions Options { get; }

    /// <summary>The martingale value at or above which a point alerts.</summary>
    public double AlertThreshold => _scorer.AlertThreshold;

    internal KernelPValue History => _scorer.History;

    public AnomalyScore Update(double value) => _scorer.Next(value);
}
