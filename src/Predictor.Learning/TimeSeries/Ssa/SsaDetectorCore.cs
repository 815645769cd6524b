using Predictor.Learning.TimeSeries.Scoring;

namespace Predictor.Learning.TimeSeries.Ssa;

/// <summary>
/// The streaming life of an SSA detector: the first <c>trainingWindowSize</c> points are kept and score nothing;
/// the point that completes them trains the SSA model (window = seasonal window, rank selected up to half of it,
/// as ML.NET configures its SSA detectors), the training points after the first window are replayed through
/// the model to fill the raw-score history (spike detectors only: a change-point detector starts its history,
/// martingale and alert mute afresh with the first scored point, as ML.NET's prediction engine does after training,
/// so in-sample errors neither inflate the martingale nor mute a change right after training), and from then on each point's raw score is the error function of
/// the observed value and the model's one-step forecast.
/// </summary>
internal sealed class SsaDetectorCore
{
    private readonly int _trainingWindowSize;
    private readonly int _seasonalWindowSize;
    private readonly Func<double, double, double> _error;
    private readonly SequentialAnomalyScorer _scorer;
    private readonly bool _replayTraining;
    private double[]? _training;
    private int _trainingCount;

    public SsaDetectorCore(int trainingWindowSize, int seasonalWindowSize, ErrorFunction errorFunction, SequentialAnomalyScorer scorer, bool replayTraining)
    {
        _trainingWindowSize = trainingWindowSize;
        _seasonalWindowSize = seasonalWindowSize;
        _error = ErrorFunctions.Get(errorFunction);
        _scorer = scorer;
        _replayTraining = replayTraining;
        _training = new double[trainingWindowSize];
    }

    public SsaModel? Model { get; private set; }

    public SequentialAnomalyScorer Scorer => _scorer;

    public double LastPrediction { get; private set; } = double.NaN;

    public AnomalyScore Update(double value)
    {
        if (Model is { } model)
        {
            if (double.IsNaN(value))
            {
                return AnomalyScore.None;
            }

            LastPrediction = model.NextPrediction;
            double raw = _error(value, LastPrediction);
            model.Consume(value);
            return _scorer.Next(raw);
        }

        if (!double.IsNaN(value))
        {
            _training![_trainingCount++] = value;
        }

        if (_trainingCount == _trainingWindowSize)
        {
            Train();
        }

        return AnomalyScore.None;
    }

    private void Train()
    {
        var series = _training!;
        var model = SsaModel.Train(series, _seasonalWindowSize, rank: null, maxRank: _seasonalWindowSize / 2);
        var predictions = model.TrainingPredictions;
        for (int i = _seasonalWindowSize; _replayTraining && i < series.Length; i++)
        {
            _scorer.Next(_error(series[i], predictions[i]));
        }

        Model = model;
        _training = null;
    }
}

/// <summary>Error functions of SSA detectors (ML.NET's <c>ErrorFunctionUtils</c>).</summary>
internal static class ErrorFunctions
{
    public static Func<double, double, double> Get(ErrorFunction function) => function switch
    {
        ErrorFunction.SignedDifference => static (actual, predicted) => actual - predicted,
        ErrorFunction.AbsoluteDifference => static (actual, predicted) => Math.Abs(actual - predicted),
        ErrorFunction.SignedProportion => static (actual, predicted) => predicted == 0 ? 0 : (actual - predicted) / predicted,
        ErrorFunction.AbsoluteProportion => static (actual, predicted) => predicted == 0 ? 0 : Math.Abs((actual - predicted) / predicted),
        ErrorFunction.SquaredDifference => static (actual, predicted) => (actual - predicted) * (actual - predicted),
        _ => throw new ArgumentOutOfRangeException(nameof(function), function, "Unknown error function."),
    };
}
