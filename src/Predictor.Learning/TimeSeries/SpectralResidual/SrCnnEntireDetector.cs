using Predictor.Learning.TimeSeries.Scoring;

namespace Predictor.Learning.TimeSeries.SpectralResidual;

/// <summary>What <see cref="SrCnnEntireDetector"/> computes besides the anomaly flag (ML.NET's <c>SrCnnDetectMode</c>).</summary>
public enum SrCnnDetectMode
{
    /// <summary>IsAnomaly, AnomalyScore, Mag.</summary>
    AnomalyOnly,

    /// <summary>Also ExpectedValue, BoundaryUnit, UpperBoundary, LowerBoundary; a point is an anomaly only outside the boundaries.</summary>
    AnomalyAndMargin,

    /// <summary>Also ExpectedValue.</summary>
    AnomalyAndExpectedValue,
}

/// <summary>How a periodic series loses its seasonal component before detection (ML.NET's <c>SrCnnDeseasonalityMode</c>).</summary>
public enum SrCnnDeseasonalityMode
{
    /// <summary>Subtract the seasonal and trend components of an STL decomposition (ML.NET's default).</summary>
    Stl,

    /// <summary>Subtract, at each phase of the period, the mean of the values at that phase.</summary>
    Mean,

    /// <summary>Subtract, at each phase of the period, the (upper) median of the values at that phase.</summary>
    Median,
}

/// <summary>Options of <see cref="SrCnnEntireDetector"/>; names and defaults are ML.NET's <c>DetectEntireAnomalyBySrCnn</c>.</summary>
public sealed record SrCnnEntireOptions
{
    /// <summary>Score in [0, 1] above which a point is an anomaly.</summary>
    /// <value>The default value is 0.3.</value>
    public double Threshold { get; init; } = 0.3;

    /// <summary>Points detected together; −1 for the whole series. At least 12 otherwise, and at least 4 periods.</summary>
    /// <value>The default value is 1024.</value>
    public int BatchSize { get; init; } = 1024;

    /// <summary>Sensitivity in [0, 100] of the boundaries (margin mode): higher gives narrower boundaries.</summary>
    /// <value>The default value is 99.</value>
    public double Sensitivity { get; init; } = 99;

    /// <summary>What to compute.</summary>
    /// <value>The default value is <see cref="SrCnnDetectMode.AnomalyOnly"/>.</value>
    public SrCnnDetectMode DetectMode { get; init; } = SrCnnDetectMode.AnomalyOnly;

    /// <summary>Points in one cycle of a periodic series; 0 when it has none (no deseasonality).</summary>
    /// <value>The default value is 0.</value>
    public int Period { get; init; }

    /// <summary>How the seasonal component is removed when <see cref="Period"/> is positive.</summary>
    /// <value>The default value is <see cref="SrCnnDeseasonalityMode.Stl"/>.</value>
    public SrCnnDeseasonalityMode DeseasonalityMode { get; init; } = SrCnnDeseasonalityMode.Stl;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!(Threshold >= 0 && Threshold <= 1))
        {
            errors.Add($"{nameof(Threshold)} must be in [0, 1], got {Threshold}");
        }

        if (BatchSize != -1 && BatchSize < SrCnnEntireDetector.MinimumPoints)
        {
            errors.Add($"{nameof(BatchSize)} must be -1 (whole series) or at least {SrCnnEntireDetector.MinimumPoints}, got {BatchSize}");
        }

        if (Period < 0)
        {
            errors.Add($"{nameof(Period)} must be 0 (no seasonality) or positive, got {Period}");
        }
        else if (Period > 0 && BatchSize != -1 && BatchSize < 4 * Period)
        {
            errors.Add($"{nameof(BatchSize)} must be at least four periods ({4 * Period}) when {nameof(Period)} is {Period}, got {BatchSize}");
        }

        if (!(Sensitivity >= 0 && Sensitivity <= 100))
        {
            errors.Add($"{nameof(Sensitivity)} must be in [0, 100], got {Sensitivity}");
        }

        OptionChecks.Defined(errors, nameof(DetectMode), DetectMode);
        OptionChecks.Defined(errors, nameof(DeseasonalityMode), DeseasonalityMode);
        return errors;
    }
}

/// <summary>One output row of <see cref="SrCnnEntireDetector"/>; columns the mode does not compute are NaN.</summary>
public readonly record struct SrCnnEntirePoint(
    bool IsAnomaly, double AnomalyScore, double Mag, double ExpectedValue, double BoundaryUnit, double UpperBoundary, double LowerBoundary);


/// <summary>
/// Spectral residual over a whole series in batches (ML.NET <c>DetectEntireAnomalyBySrCnn</c>, its current semantics):
/// see <see cref="SrCnnEntireBatch"/> for what one batch computes. A last batch of fewer than 12 points is detected
/// together with the points before it, in a window of the previous batch's size.
/// </summary>
public static class SrCnnEntireDetector
{
    /// <summary>The fewest points a batch (or the whole series) may have.</summary>
    public const int MinimumPoints = 12;

    public static SrCnnEntirePoint[] Detect(ReadOnlySpan<double> series, SrCnnEntireOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate().ToList();
        if (series.Length < MinimumPoints)
        {
            errors.Add($"the series has {series.Length} points, the detector needs at least {MinimumPoints}");
        }

        for (int i = 0; i < series.Length; i++)
        {
            if (!double.IsFinite(series[i]))
            {
                errors.Add($"point {i} is {series[i]}, expected a finite number");
                break;
            }
        }

        DetectorOptionsException.ThrowIfAny(errors);
        int batch = options.BatchSize == -1 ? series.Length : Math.Min(options.BatchSize, series.Length);
        var results = new SrCnnEntirePoint[series.Length];
        for (int start = 0; start < series.Length; start += batch)
        {
            int end = Math.Min(start + batch, series.Length);
            int from = end - start < MinimumPoints ? end - batch : start;
            var batchResults = SrCnnEntireBatch.Detect(series[from..end].ToArray(), options);
            Array.Copy(batchResults, start - from, results, start, end - start);
        }

        return results;
    }

    internal static double[] Saliency(double[] values, out double[] mags) => SrCnnEntireBatch.Saliency(values, out mags);

    /// <summary>Mean of the last <paramref name="width"/> values up to each index (fewer at the start).</summary>
    internal static double[] TrailingMean(ReadOnlySpan<double> data, int width)
    {
        var result = new double[data.Length];
        double running = 0;
        for (int i = 0; i < data.Length; i++)
        {
            running += data[i];
            if (i >= width)
            {
                running -= data[i - width];
            }

            result[i] = running / Math.Min(i + 1, width);
        }

        return result;
    }
}
