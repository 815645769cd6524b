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
    }

    /// <summary>Where telemetry goes: the windows, and the detectors when there are any.</summary>
    public ITelemetrySink Sink { get; }

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
