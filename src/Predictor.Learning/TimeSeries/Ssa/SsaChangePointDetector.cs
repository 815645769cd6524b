using Predictor.Learning.TimeSeries.Scoring;

namespace Predictor.Learning.TimeSeries.Ssa;

/// <summary>Options of <see cref="SsaChangePointDetector"/>; names and defaults are ML.NET's <c>DetectChangePointBySsa</c>.</summary>
public sealed record SsaChangePointDetectorOptions
{
    /// <summary>Confidence in (0, 100) that sets the martingale alert threshold.</summary>
    /// <value>The default value is 95.</value>
    public double Confidence { get; init; } = 95;

    /// <summary>Length of the p-value history and of the martingale's window of bets.</summary>
    /// <value>The default value is 20.</value>
    public int ChangeHistoryLength { get; init; } = 20;

    /// <summary>Points from the start of the series used to train the SSA model; must exceed 2·SeasonalWindowSize.</summary>
    /// <value>The default value is 100.</value>
    public int TrainingWindowSize { get; init; } = 100;

    /// <summary>SSA window: an upper bound on the longest relevant seasonality; at least 2.</summary>
    /// <value>The default value is 10.</value>
    public int SeasonalWindowSize { get; init; } = 10;

    /// <summary>How observed and forecast values become the raw score.</summary>
    /// <value>The default value is <see cref="ErrorFunction.SignedDifference"/>.</value>
    public ErrorFunction ErrorFunction { get; init; } = ErrorFunction.SignedDifference;

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
        OptionChecks.AtLeast(errors, nameof(SeasonalWindowSize), SeasonalWindowSize, 2);
        OptionChecks.AtLeast(errors, nameof(TrainingWindowSize), TrainingWindowSize, (2 * SeasonalWindowSize) + 1);
        OptionChecks.Defined(errors, nameof(ErrorFunction), ErrorFunction);
        OptionChecks.Defined(errors, nameof(Martingale), Martingale);
        OptionChecks.Epsilon(errors, nameof(PowerMartingaleEpsilon), PowerMartingaleEpsilon);
        return errors;
    }
}

/// <summary>
/// Change points on the residual of an SSA forecast (ML.NET <c>SsaChangePointDetector</c>): two-sided p-values
/// of the forecast errors feed a martingale exactly as in <see cref="Iid.IidChangePointDetector"/>.
/// Outputs Alert, Raw Score, P-Value, Martingale; <see cref="AnomalyScore.Score"/> is
/// <c>clamp(ln M / ln threshold, 0, 1)</c>. Training points score nothing.
/// </summary>
public sealed class SsaChangePointDetector : IStreamingAnomalyDetector
{
    private readonly SsaDetectorCore _core;

    public SsaChangePointDetector(SsaChangePointDetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        DetectorOptionsException.ThrowIfAny([.. options.Validate()]);
        Options = options;
        double threshold = MartingaleMath.ChangePointThreshold(options.Confidence, options.ChangeHistoryLength, options.Martingale, options.PowerMartingaleEpsilon);
        var scorer = new SequentialAnomalyScorer(options.ChangeHistoryLength, AnomalySide.TwoSided, AlertOn.Martingale, options.Martingale, options.PowerMartingaleEpsilon, threshold);
        _core = new SsaDetectorCore(options.TrainingWindowSize, options.SeasonalWindowSize, options.ErrorFunction, scorer, replayTraining: false);
    }

    public SsaChangePointDetectorOptions Options { get; }

    /// <summary>The martingale value at or above which a point alerts.</summary>
    public double AlertThreshold => _core.Scorer.AlertThreshold;

    /// <summary>The forecast the last scored point was compared with.</summary>
    public double LastPrediction => _core.LastPrediction;

    public AnomalyScore Update(double value) => _core.Update(value);
}
