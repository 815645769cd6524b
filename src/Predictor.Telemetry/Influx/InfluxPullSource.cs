using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Predictor.Core.Configuration;
using Predictor.Telemetry.Mapping;

namespace Predictor.Telemetry.Influx;

/// <summary>
/// Reads new points from InfluxDB every <see cref="InfluxPullOptions.Interval"/> with
/// <c>SELECT * FROM … WHERE time &gt; last GROUP BY *</c> and feeds every numeric field through the
/// <see cref="SignalMapper"/>. Each pass starts after the newest timestamp the previous pass saw, so points
/// are read once; a point written later with an older timestamp than that is not read.
/// </summary>
public sealed class InfluxPullSource
{
    private readonly InfluxClient _client;
    private readonly SignalMapper _mapper;
    private readonly InfluxPullOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private long? _lastNanos;

    public InfluxPullSource(InfluxClient client, SignalMapper mapper, InfluxPullOptions options, TimeProvider time, ILogger<InfluxPullSource>? logger = null)
    {
        OptionsGuard.ThrowIfInvalid(options, nameof(options));

        _client = client;
        _mapper = mapper;
        _options = options;
        _time = time;
        _logger = logger ?? NullLogger<InfluxPullSource>.Instance;
    }

    /// <summary>Pulls every interval until cancelled; a failed pass is logged and retried at the next tick.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.Interval, _time);
        do
        {
            try
            {
                await PullOnceAsync(cancellationToken);
            }
            catch (InfluxException e)
            {
                Log.PullFailed(_logger, e.Message);
            }
        }
        while (await Tick(timer, cancellationToken));
    }

    /// <summary>One pass; returns the number of samples written.</summary>
    public async Task<int> PullOnceAsync(CancellationToken cancellationToken)
    {
        var since = _lastNanos ?? (_time.GetUtcNow() - _options.InitialLookback - DateTimeOffset.UnixEpoch).Ticks * 100;
        var (written, newest) = await ReadAsync(string.Create(CultureInfo.InvariantCulture, $"time > {since}"), since, cancellationToken);
        _lastNanos = newest;
        return written;
    }

    /// <summary>
    /// Reads every stored point in (<paramref name="after"/>, <paramref name="until"/>] through the mapping, as a pass
    /// would have (a replay of stored telemetry for a training set); returns the number of samples written. Each series
    /// arrives in time order, which is all the windows and the detectors depend on.
    /// </summary>
    public async Task<int> ReadRangeAsync(DateTimeOffset after, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var (from, to) = (Nanos(after), Nanos(until));
        var (written, _) = await ReadAsync(string.Create(CultureInfo.InvariantCulture, $"time > {from} AND time <= {to}"), from, cancellationToken);
        return written;
    }

    private static long Nanos(DateTimeOffset time) => (time - DateTimeOffset.UnixEpoch).Ticks * 100;

    private async Task<(int Written, long Newest)> ReadAsync(string where, long since, CancellationToken cancellationToken)
    {
        var from = _options.Measurements.Count == 0
            ? "/.*/"
            : string.Join(", ", _options.Measurements.Select(m => "\"" + m.Replace("\"", "\\\"", StringComparison.Ordinal) + "\""));
        var query = string.Create(CultureInfo.InvariantCulture, $"SELECT * FROM {from} WHERE {where} GROUP BY *");
        var written = 0;
        var newest = since;
        await foreach (var series in _client.QueryAsync(query, cancellationToken))
        {
            var timeColumn = series.Columns.IndexOf("time");
            foreach (var row in series.Values)
            {
                if (timeColumn < 0 || row[timeColumn] is not long nanos)
                {
                    continue;
                }

                newest = Math.Max(newest, nanos);
                var time = DateTimeOffset.UnixEpoch.AddTicks(nanos / 100);
                for (var c = 0; c < series.Columns.Length; c++)
                {
                    if (c == timeColumn)
                    {
                        continue;
                    }

                    double? value = row[c] switch
                    {
                        long l => l,
                        double d => d,
                        bool b => b ? 1 : 0,
                        _ => null,
                    };
                    if (value is { } v && _mapper.Map(series.Name, series.Tags, series.Columns[c], v, time))
                    {
                        written++;
                    }
                }
            }
        }

        return (written, newest);
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
