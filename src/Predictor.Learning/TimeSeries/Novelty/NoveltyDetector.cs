namespace Predictor.Learning.TimeSeries.Novelty;

/// <summary>
/// Streaming novelty detection: the newest <see cref="NoveltyDetectorOptions.Dimension"/> points form a shape vector
/// whose distance to its nearest non-overlapping neighbour among the last <see cref="NoveltyDetectorOptions.History"/>
/// vectors measures how new the current behaviour is (a spike, a jump to an unseen level, a missing daily peak, a flat
/// stretch in an oscillating series). That distance is judged robustly against the distances before it:
/// <c>z = ln(1 + max(0, (d − median) / (1.4826 · MAD)))</c>, so every series is on its own scale and one threshold serves
/// all of them. The score <c>z / (z + 4)</c> is reported only when no point of the last
/// <see cref="NoveltyDetectorOptions.SuppressionWindow"/> scored as high, so an episode alerts once, at its rise.
/// Outputs Alert, Raw Score (the distance) and Score; O(History · Dimension) time per point.
/// </summary>
public sealed class NoveltyDetector : IStreamingAnomalyDetector
{
    private readonly NoveltyDetectorOptions _options;
    private readonly NearestNeighbourDistance _nearest;
    private readonly RollingQuantiles _distances;
    private readonly double[] _recentScores;
    private int _recentNext;

    public NoveltyDetector(NoveltyDetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        DetectorOptionsException.ThrowIfAny([.. options.Validate()]);
        _options = options;
        _nearest = new NearestNeighbourDistance(options.Dimension, options.History);
        _distances = new RollingQuantiles(options.DistanceHistory);
        _recentScores = new double[Math.Max(options.SuppressionWindow, 1)];
    }

    public AnomalyScore Update(double value)
    {
        if (!double.IsFinite(value))
        {
            return AnomalyScore.None;
        }

        double distance = _nearest.Add(value);
        if (double.IsNaN(distance))
        {
            return AnomalyScore.None;
        }

        double z = 0;
        if (_distances.Count >= _options.WarmUp)
        {
            double median = _distances.Median();
            double mad = _distances.Mad(median);
            double excess = (distance - median) / Math.Max(1.4826 * mad, 1e-9 + (1e-3 * median));
            z = Math.Log(1 + Math.Max(excess, 0));
        }

        _distances.Add(distance);
        double score = z / (z + 4);
        bool dominated = false;
        for (int i = 0; i < _options.SuppressionWindow; i++)
        {
            dominated |= _recentScores[i] >= score;
        }

        if (_options.SuppressionWindow > 0)
        {
            _recentScores[_recentNext] = score;
            _recentNext = (_recentNext + 1) % _options.SuppressionWindow;
        }

        double reported = dominated ? 0 : score;
        return new AnomalyScore(reported >= _options.AlertScore, distance, double.NaN, double.NaN, double.NaN, reported);
    }
}
