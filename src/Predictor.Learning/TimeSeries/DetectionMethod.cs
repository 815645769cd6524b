using Predictor.Learning.TimeSeries.Iid;
using Predictor.Learning.TimeSeries.SpectralResidual;
using Predictor.Learning.TimeSeries.Ssa;

namespace Predictor.Learning.TimeSeries;

/// <summary>The detectors <c>predictor detect</c> offers.</summary>
public enum DetectionMethod
{
    /// <summary>Spectral residual (streaming, <see cref="SrCnnDetector"/>).</summary>
    Sr,

    /// <summary><see cref="IidSpikeDetector"/>.</summary>
    IidSpike,

    /// <summary><see cref="IidChangePointDetector"/>.</summary>
    IidChangePoint,

    /// <summary><see cref="SsaSpikeDetector"/>.</summary>
    SsaSpike,

    /// <summary><see cref="SsaChangePointDetector"/>.</summary>
    SsaChangePoint,

    /// <summary><see cref="Novelty.NoveltyDetector"/>.</summary>
    Novelty,
}

/// <summary>Runs a streaming detector over a whole series.</summary>
public static class SeriesDetection
{
    /// <summary>The command-line names: sr, iid-spike, iid-changepoint, ssa-spike, ssa-changepoint, novelty.</summary>
    public static IReadOnlyDictionary<string, DetectionMethod> MethodNames { get; } = new Dictionary<string, DetectionMethod>(StringComparer.Ordinal)
    {
        ["sr"] = DetectionMethod.Sr,
        ["iid-spike"] = DetectionMethod.IidSpike,
        ["iid-changepoint"] = DetectionMethod.IidChangePoint,
        ["ssa-spike"] = DetectionMethod.SsaSpike,
        ["ssa-changepoint"] = DetectionMethod.SsaChangePoint,
        ["novelty"] = DetectionMethod.Novelty,
    };

    /// <summary>A detector of <paramref name="method"/> with ML.NET's default options.</summary>
    public static IStreamingAnomalyDetector CreateDefault(DetectionMethod method) => method switch
    {
        DetectionMethod.Sr => new SrCnnDetector(new SrCnnDetectorOptions()),
        DetectionMethod.IidSpike => new IidSpikeDetector(new IidSpikeDetectorOptions()),
        DetectionMethod.IidChangePoint => new IidChangePointDetector(new IidChangePointDetectorOptions()),
        DetectionMethod.SsaSpike => new SsaSpikeDetector(new SsaSpikeDetectorOptions()),
        DetectionMethod.SsaChangePoint => new SsaChangePointDetector(new SsaChangePointDetectorOptions()),
        DetectionMethod.Novelty => new Novelty.NoveltyDetector(new Novelty.NoveltyDetectorOptions()),
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown detection method."),
    };

    public static AnomalyScore[] Run(IStreamingAnomalyDetector detector, ReadOnlySpan<double> values)
    {
        ArgumentNullException.ThrowIfNull(detector);
        var result = new AnomalyScore[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = detector.Update(values[i]);
        }

        return result;
    }
}
