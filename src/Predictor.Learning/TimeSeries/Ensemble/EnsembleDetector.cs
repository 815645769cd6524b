namespace Predictor.Learning.TimeSeries.Ensemble;

public sealed record EnsembleDetectorOptions
{
    public int LevelWindow { get; init; } = 256;
    public int ShortWindow { get; init; } = 10;
    public int LongWindow { get; init; } = 2000;
    public int SuppressWindow { get; init; } = 200;
    public int WarmUp { get; init; } = 100;
    public double AlertZ { get; init; } = 4;
    public int Mode { get; init; }
}

public sealed class EnsembleDetector : IStreamingAnomalyDetector
{
    private readonly EnsembleDetectorOptions _o;
    private readonly RollingQuantiles _level;
    private readonly RollingQuantiles _diff;
    private readonly Queue<double> _short = new();
    private readonly Queue<double> _long = new();
    private readonly Queue<double> _recent = new();
    private double _shortSum;
    private double _longSum;
    private double _longSq;
    private double _previous = double.NaN;
    private int _seen;

    public EnsembleDetector(EnsembleDetectorOptions options)
    {
        _o = options;
        _level = new RollingQuantiles(options.LevelWindow);
        _diff = new RollingQuantiles(options.LevelWindow);
    }

    public AnomalyScore Update(double value)
    {
        if (!double.IsFinite(value))
        {
            return AnomalyScore.None;
        }

        double raw = 0;
        if (_level.Count >= 8)
        {
            double med = _level.Median();
            double mad = _level.Mad(med);
            double floor = 1e-3 * (1 + Math.Abs(med));
            double zLevel = Math.Abs(value - med) / Math.Max(1.4826 * mad, floor);
            double zDiff = 0;
            if (_diff.Count >= 8)
            {
                double d = value - _previous;
                double dm = _diff.Median();
                double dmad = _diff.Mad(dm);
                zDiff = Math.Abs(d - dm) / Math.Max(1.4826 * dmad, floor);
            }

            raw = Math.Log(1 + Math.Max(zLevel, zDiff));
        }

        if (!double.IsNaN(_previous))
        {
            _diff.Add(value - _previous);
        }

        _level.Add(value);
        _previous = value;
        _seen++;

        _short.Enqueue(raw);
        _shortSum += raw;
        if (_short.Count > _o.ShortWindow)
        {
            _shortSum -= _short.Dequeue();
        }

        double z = 0;
        if (_long.Count >= _o.WarmUp)
        {
            double n = _long.Count;
            double mean = _longSum / n;
            double std = Math.Sqrt(Math.Max((_longSq / n) - (mean * mean), 0));
            std = Math.Max(std, 1e-6);
            z = ((_shortSum / _short.Count) - mean) / std;
        }

        _long.Enqueue(raw);
        _longSum += raw;
        _longSq += raw * raw;
        if (_long.Count > _o.LongWindow)
        {
            double old = _long.Dequeue();
            _longSum -= old;
            _longSq -= old * old;
        }

        double score = z <= 0 ? 0 : z / (z + 4);
        double emitted = score;
        foreach (double r in _recent)
        {
            if (r >= score)
            {
                emitted = 0;
                break;
            }
        }

        _recent.Enqueue(score);
        if (_recent.Count > _o.SuppressWindow)
        {
            _recent.Dequeue();
        }

        return new AnomalyScore(emitted > 0 && z >= _o.AlertZ, raw, double.NaN, double.NaN, double.NaN, emitted);
    }
}
