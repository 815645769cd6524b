using System.Collections.Frozen;
using Predictor.Core.Risk;
using Predictor.Core.Telemetry;
using Predictor.Learning.TimeSeries.Streaming;
using Predictor.Telemetry.Windows;

namespace Predictor.Daemon.Features;

/// <summary>
/// The host features the daemon assesses: those of its telemetry windows (<see cref="FeatureNames"/>) and, when the
/// streaming detectors run, theirs (<see cref="DetectorFeatureNames"/>). The daemon's pass and the training sets built
/// from the simulator read features through this one type, so a model is trained on what it is served.
/// </summary>
public sealed class HostFeatureSource
{
    private readonly HostWindowStore _windows;
    private readonly HostSignalDetectors? _detectors;

    public HostFeatureSource(HostWindowStore windows, HostSignalDetectors? detectors)
    {
        ArgumentNullException.ThrowIfNull(windows);
        _windows = windows;
        _detectors = detectors;
        Sink = detectors is null ? windows : new TeeSink(windows, detectors);
        Names = NamesFor(detectors);
    }

    /// <summary>Fresh windows and streaming detectors with their default options, as the daemon runs them unconfigured (training sets use this).</summary>
    public static HostFeatureSource WithDefaultDetectors() => new(new HostWindowStore(), new HostSignalDetectors(new HostSignalDetectorOptions()));

    /// <summary>Where telemetry goes: the windows and the detectors.</summary>
    public ITelemetrySink Sink { get; }

    /// <summary>Every feature <see cref="Features"/> can give, in a fixed order: the window features, then the detectors'.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The features the daemon computes with these detectors (none: the window features only).</summary>
    public static IReadOnlyList<string> NamesFor(HostSignalDetectors? detectors) =>
        detectors is null ? FeatureNames.All : [.. FeatureNames.All, .. detectors.FeatureNamesFor(SignalNames.All)];

    /// <summary>A host's features at <paramref name="now"/>: its windows' and its detectors' outputs.</summary>
    public HostFeatures Features(string host, DateTimeOffset now)
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
