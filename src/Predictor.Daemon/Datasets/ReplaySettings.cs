using Microsoft.Extensions.Configuration;
using Predictor.Core.Configuration;
using Predictor.Learning.TimeSeries.Streaming;
using Predictor.Telemetry.Influx;
using Predictor.Telemetry.Mapping;
using Predictor.Telemetry.Windows;

namespace Predictor.Daemon.Datasets;

/// <summary>
/// What a replay of stored telemetry must share with the daemon to compute the same features: the windows' and the
/// detectors' settings, when a host counts as stale, the signal mapping, and for InfluxDB where and how to read. Taken
/// from the daemon's own configuration (<see cref="FromConfiguration"/>), so a training set is built as the daemon serves.
/// </summary>
public sealed record ReplaySettings
{
    public HostWindowOptions Windows { get; init; } = new();

    public HostSignalDetectorOptions Detectors { get; init; } = new();

    /// <summary>A host with no telemetry for this long gets no row (the daemon does not assess it).</summary>
    public TimeSpan StaleAfter { get; init; } = new PipelineOptions().StaleAfter;

    /// <summary>Telemetry read before the first row so its windows and detectors have history (3 days: the longest feature span).</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromDays(3);

    public SignalMappingOptions Mapping { get; init; } = new();

    public InfluxOptions Influx { get; init; } = new();

    public InfluxPullOptions Pull { get; init; } = new();

    /// <summary>The daemon's settings from its configuration; every invalid key is reported at once.</summary>
    /// <exception cref="ArgumentException">A section is invalid; the message lists each problem as <c>Section:Key: …</c>.</exception>
    public static ReplaySettings FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var errors = new List<string>();
        T Bind<T>()
            where T : class, new()
        {
            var value = configuration.GetSection(OptionsSectionAttribute.Of(typeof(T))).Get<T>() ?? new T();
            errors.AddRange(OptionsGuard.Errors(value));
            return value;
        }

        var settings = new ReplaySettings
        {
            Windows = Bind<HostWindowOptions>(),
            Detectors = Bind<HostSignalDetectorOptions>(),
            StaleAfter = Bind<PipelineOptions>().StaleAfter,
            Mapping = Bind<SignalMappingOptions>(),
            Influx = Bind<InfluxOptions>(),
            Pull = Bind<InfluxPullOptions>(),
        };
        return errors.Count == 0 ? settings : throw new ArgumentException(string.Join(Environment.NewLine, errors));
    }
}
