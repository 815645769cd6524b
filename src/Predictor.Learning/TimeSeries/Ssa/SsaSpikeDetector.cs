using Predictor.Learning.TimeSeries.Scoring;

namespace Predictor.Learning.TimeSeries.Ssa;

/// <summary>Options of <see cref="SsaSpikeDetector"/>; names and defaults are ML.NET's <c>DetectSpikeBySsa</c>.</summary>
public sealed record SsaSpikeDetectorOptions
{
    /// <summary>Confidence in (0, 100): a point alerts when its p-value is at most <c>1 − confidence/100</c>.</summary>
    /// <value>The default value is 99.</value>
    public double Confidence { get; init; } = 99;

    /// <summary>Number of past raw scores (forecast errors) the p-value is computed against.</summary>
    /// <value>The default value is 100.</value>
    public int PvalueHistoryLength { get; init; } = 100;

    /// <summary>Points from the start of the series used to train the SSA model; must exceed 2·SeasonalWindowSize.</summary>
    /// <value>The default value is 100.</value>
    public int TrainingWindowSize { get; init; } = 100;

    /// <summary>SSA window: an upper bound on the longest relevant seasonality; at least 2.</summary>
    /// <value>The default value is 10.</value>
    public int SeasonalWindowSize { get; init; } = 10;

    /// <summary>Which deviations alert.</summary>
    /// <value>The default value is <see cref="AnomalySide.TwoSided"/>.</value>
    public AnomalySide Side { get; init; } = AnomalySide.TwoSided;

    /// <summary>How observed and forecast values become the raw score.</summary>
    /// <value>The default value is <see cref="ErrorFunction.SignedDifference"/>.</value>
    public ErrorFunction ErrorFunction { get; init; } = ErrorFunction.SignedDifference;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        OptionChecks.Confidence(errors, nameof(Confidence), Confidence);
        OptionChecks.AtLeast(errors, nameof(PvalueHistoryLength), PvalueHistoryLength, 1);
        OptionChecks.AtLeast(errors, nameof(SeasonalWindowSize), SeasonalWindowSize, 2);
        OptionChecks.AtLeast(errors, nameof(TrainingWindowSize), TrainingWindowSize, (2 * SeasonalWindowSize) + 1);
        OptionChecks.Defined(errors, nameof(Side), Side);
        OptionChecks.Defined(errors, nameof(ErrorFunction), ErrorFunction);
        return errors;
    }
}

/// <summary>
/// Spikes on the residual of an SSA forecast (ML.NET <c>SsaSpikeDetector</c>): after training on the first
/// <c>TrainingWindowSize</c> points, each point's raw score is the error function of the value and the SSA
/// one-step forecast, its p-value is taken against the last <c>PvalueHistoryLength</c> raw scores, and it alerts
/// at p ≤ <c>1 − Confidence/100</c>. Outputs Alert, Raw Score, P-Value; <see cref="AnomalyScore.Score"/> is <c>1 − p</c>.
/// Training points score nothing (<see cref="AnomalyScore.None"/>).
/// </summary>
public sealed class SsaSpikeDetector : IStreamingAnomalyDetector
{
    private readonly SsaDetectorCore _core;

    public SsaSpikeDetector(SsaSpikeDetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        DetectorOptionsException.ThrowIfAny([.. options.Validate()]);
        Options = options;
        var scorer = new SequentialAnomalyScorer(options.PvalueHistoryLength, options.Side, AlertOn.PValue, MartingaleType.None, 0.1, 1 - (options.Confidence / 100));
        _core = new SsaDetectorCore(options.TrainingWindowSize, options.SeasonalWindowSize, options.ErrorFunction, scorer, replayTraining: true);
    }

    public SsaSpikeDetectorOptions Options { get; }

    /// <summary>The forecast the last scored point was compared with.</summary>
    public double LastPrediction => _core.LastPrediction;

    internal SsaModel? Model => _core.Model;

    public AnomalyScore Update(double value) => _core.Update(value);
}
