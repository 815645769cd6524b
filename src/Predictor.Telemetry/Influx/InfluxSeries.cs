using System.Collections.Immutable;

namespace Predictor.Telemetry.Influx;

/// <summary>
/// One series (or one chunk of it) of an InfluxQL result. Values are <see cref="long"/> for integers
/// (including epoch timestamps, and float fields whose value is integral: InfluxDB's JSON does not keep the type), <see cref="double"/>, <see cref="string"/>, <see cref="bool"/> or null.
/// </summary>
public sealed record InfluxSeries(
    int StatementId,
    string Name,
    ImmutableDictionary<string, string> Tags,
    ImmutableArray<string> Columns,
    ImmutableArray<ImmutableArray<object?>> Values);
