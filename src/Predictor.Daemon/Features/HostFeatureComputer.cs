using System.Collections.Frozen;
using Predictor.Core.Risk;
using Predictor.Core.Telemetry;
using Predictor.Learning.TimeSeries.Streaming;
using Predictor.Telemetry.Windows;

namespace Predictor.Daemon.Features;

/// <summary>
/// The one place a host's features come from: telemetry goes through <see cref="Sink"/> into the per-host windows and
/// the streaming detectors, and <see cref="Compute"/> reads the window features and adds the detectors' outputs. The
/// daemon's pass and the dataset replay (<see cref="Datasets.TelemetryReplay"/>) both use it, so a model is trained on
/// features computed by exactly the code that serves it.
/// </summary>
public sealed class HostFeatureComputer
{
    private readonly HostWindowStore _windows;
    private readonly HostSignalDetectors? _detectors;

    public HostFeatureComputer(HostWindowStore windows, HostSignalDetectors? detectors)
    {
        ArgumentNullException.ThrowIfNull(windows);
        _windows = windows;
        _detectors = detectors;
        Sink = detectors is null ? windows : new TeeSink(windows, detectors);
        Names = NamesFor(detectors);
    }

    /// <summary>Fresh windows and streaming detectors with their default options, as the daemon runs them unconfigured (training sets use this).</summary>
    public static HostFeatureComputer WithDefaultDetectors() => new(new HostWindowStore(), new HostSignalDetectors(new HostSignalDetectorOptions()));

    /// <summary>Where telemetry goes: the windows, and the detectors when there are any.</summary>
    public ITelemetrySink Sink { get; }

    /// <summary>Every feature <see cref="Compute"/> can give, in a fixed order: the window features, then the detectors'.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The features the daemon computes with these detectors (none: the window features only).</summary>
    public static IReadOnlyList<string> NamesFor(HostSignalDetectors? detectors) =>
        detectors is null ? FeatureNames.All : [.. FeatureNames.All, .. detectors.FeatureNamesFor(SignalNames.All)];

    /// <summary>The host's features at <paramref name="now"/>: the windows' (<see cref="FeatureNames"/>) and the detectors' outputs.</summary>
    public HostFeatures Compute(string host, DateTimeOffset now)
    {
        var features = _windows.Features(host, now);
        if (_detectors is null)
        {
            return features;
        }

        var values = new Dictionary<string, double>(features.Values, StringComparer.Ordinal);
        _detectors.AddFeatures(host, now, values);
        return features with { Values = values.ToFrozenDictionary(StringComparer.Ordinal) };
    }
}
