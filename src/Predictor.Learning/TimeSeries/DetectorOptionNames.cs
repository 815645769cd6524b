using Predictor.Learning.TimeSeries.SpectralResidual;

namespace Predictor.Learning.TimeSeries;

/// <summary>The command-line names of the detectors' options (as <c>predictor detect</c> takes them).</summary>
public static class DetectorOptionNames
{
    public static IReadOnlyDictionary<string, AnomalySide> Sides { get; } = new Dictionary<string, AnomalySide>(StringComparer.Ordinal)
    {
        ["two-sided"] = AnomalySide.TwoSided,
        ["positive"] = AnomalySide.Positive,
        ["negative"] = AnomalySide.Negative,
    };

    public static IReadOnlyDictionary<string, MartingaleType> Martingales { get; } = new Dictionary<string, MartingaleType>(StringComparer.Ordinal)
    {
        ["power"] = MartingaleType.Power,
        ["mixture"] = MartingaleType.Mixture,
    };

    public static IReadOnlyDictionary<string, ErrorFunction> ErrorFunctions { get; } = new Dictionary<string, ErrorFunction>(StringComparer.Ordinal)
    {
        ["signed-difference"] = ErrorFunction.SignedDifference,
        ["absolute-difference"] = ErrorFunction.AbsoluteDifference,
        ["signed-proportion"] = ErrorFunction.SignedProportion,
        ["absolute-proportion"] = ErrorFunction.AbsoluteProportion,
        ["squared-difference"] = ErrorFunction.SquaredDifference,
    };

    public static IReadOnlyDictionary<string, SrCnnDetectMode> DetectModes { get; } = new Dictionary<string, SrCnnDetectMode>(StringComparer.Ordinal)
    {
        ["anomaly-only"] = SrCnnDetectMode.AnomalyOnly,
        ["anomaly-and-margin"] = SrCnnDetectMode.AnomalyAndMargin,
        ["anomaly-and-expected-value"] = SrCnnDetectMode.AnomalyAndExpectedValue,
    };

    public static IReadOnlyDictionary<string, SrCnnDeseasonalityMode> DeseasonalityModes { get; } = new Dictionary<string, SrCnnDeseasonalityMode>(StringComparer.Ordinal)
    {
        ["stl"] = SrCnnDeseasonalityMode.Stl,
        ["median"] = SrCnnDeseasonalityMode.Median,
        ["mean"] = SrCnnDeseasonalityMode.Mean,
    };
}
