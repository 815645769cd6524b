using Predictor.Learning.TimeSeries.Scoring;

namespace Predictor.Learning.TimeSeries.Baselines;

/// <summary>
/// NAB's windowed-Gaussian baseline (numenta/NAB <c>windowedGaussian_detector.py</c>): a point's score is
/// <c>1 − Q(|x − μ| / σ)</c>, the two-sided Gaussian tail of the mean and standard deviation of up to
/// <see cref="WindowSize"/> earlier points; once the window is full it advances in steps of <see cref="StepSize"/>.
/// The first point scores 0. Alerts at <see cref="AlertScore"/>.
/// </summary>
public sealed class WindowedGaussianDetector : IStreamingAnomalyDetector
{
    public const int WindowSize = 6400;
    public const int StepSize = 100;

    /// <summary>The score at or above which a point alerts (a 4σ deviation).</summary>
    public const double AlertScore = 0.99996;

    private readonly Queue<double> _window = new();
    private readonly List<double> _step = new(StepSize);
    private double _sum;
    private double _sumSquares;
    private double _mean;
    private double _std = 1;

    public AnomalyScore Update(double value)
    {
        if (!double.IsFinite(value))
        {
            return AnomalyScore.None;
        }

        double score = 0;
        if (_window.Count > 0)
        {
            double z = Math.Abs(value - _mean) / _std;
            score = 1 - (0.5 * Erf.Complement(z / Math.Sqrt(2)));
        }

        if (_window.Count < WindowSize)
        {
            Add(value);
            Refresh();
        }
        else
        {
            _step.Add(value);
            if (_step.Count == StepSize)
            {
                foreach (double v in _step)
                {
                    double old = _window.Dequeue();
                    _sum -= old;
                    _sumSquares -= old * old;
                    Add(v);
                }

                _step.Clear();
                Refresh();
            }
        }

        return new AnomalyScore(score >= AlertScore, value, 1 - score, double.NaN, double.NaN, score);
    }

    private void Add(double value)
    {
        _window.Enqueue(value);
        _sum += value;
        _sumSquares += value * value;
    }

    private void Refresh()
    {
        int n = _window.Count;
        _mean = _sum / n;
        double variance = Math.Max((_sumSquares / n) - (_mean * _mean), 0);
        _std = Math.Sqrt(variance);
        if (_std == 0)
        {
            _std = 0.000001;
        }
    }
}
