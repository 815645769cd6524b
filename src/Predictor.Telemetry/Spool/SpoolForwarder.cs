using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Predictor.Core.Alerts;
using Predictor.Telemetry.Influx;
using Predictor.Telemetry.LineProtocol;

namespace Predictor.Telemetry.Spool;

/// <summary>
/// Replays the spool to InfluxDB in order, one batch at a time, acknowledging each only after InfluxDB
/// accepted it. While InfluxDB is unreachable (or refuses credentials, or lacks the database) it waits with
/// backoff on the injected clock and tries the same batch again. When InfluxDB refuses a batch (400: a field type
/// conflict with what it holds; it may have stored the rest, or nothing), the batch is halved and written again until
/// every refused line is alone: those go to the <see cref="DeadLetterFile"/> with InfluxDB's reason, counted and
/// alerted (<see cref="AlertConditions.TelemetryDeadLettered"/>), and the rest is stored. Writing a line again is
/// harmless: every spooled line carries its timestamp, and InfluxDB keeps one value per series, field and time.
/// </summary>
public sealed class SpoolForwarder(DiskSpool spool, InfluxClient influx, DeadLetterFile deadLetters, IAlertPublisher alerts, TimeProvider time, ILogger<SpoolForwarder>? logger = null)
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);
    private readonly TimeProvider _time = time;
    private readonly ILogger _logger = logger ?? NullLogger<SpoolForwarder>.Instance;
    private bool _alertActive;

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var delay = FirstDelay;
        var failing = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var record = spool.Peek();
                if (record is null)
                {
                    if (failing)
                    {
                        Log.Drained(_logger);
                        failing = false;
                    }

                    await ResolveAlertWhenDealtWithAsync(cancellationToken);
                    await spool.WaitForAppendAsync(cancellationToken);
                    continue;
                }

                try
                {
                    var refused = new List<(ReadOnlyMemory<byte> Line, string Reason)>();
                    try
                    {
                        await influx.WriteAsync(record.Payload, cancellationToken, record.Precision);
                    }
                    catch (InfluxException e) when (e.StatusCode == HttpStatusCode.BadRequest)
                    {
                        Log.BatchRefused(_logger, record.Payload.Length, e.Message);
                        await SettleAsync(record.Payload, record.Precision, e.ServerError ?? e.Message, refused, cancellationToken);
                    }

                    // set aside only once the whole batch is settled: a transient failure on the way retries it from the start
                    KeepRefused(refused, record.Precision);
                    spool.Acknowledge(record);
                    delay = FirstDelay;
                    if (refused.Count > 0)
                    {
                        await AlertAsync(refused.Count, cancellationToken);
                    }
                }
                catch (InfluxException e)
                {
                    failing = true;
                    Log.ForwardFailed(_logger, e.Message, delay);
                    await Task.Delay(delay, _time, cancellationToken);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
            {
                Log.ForwardLoopFailed(_logger, e);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>
    /// Writes the halves of a refused batch again until each refused line is alone, and adds those to
    /// <paramref name="refused"/> with InfluxDB's reason. A transient failure on the way throws, and the whole batch is
    /// tried again later.
    /// </summary>
    private async Task SettleAsync(ReadOnlyMemory<byte> payload, TimestampPrecision precision, string reason, List<(ReadOnlyMemory<byte> Line, string Reason)> refused, CancellationToken cancellationToken)
    {
        var end = InfluxClient.BatchEnd(payload.Span, int.MaxValue, out var count);
        if (count <= 1)
        {
            refused.Add((payload[..end], reason));
            return;
        }

        var middle = InfluxClient.BatchEnd(payload.Span, count / 2, out _);
        foreach (var half in new[] { payload[..middle], payload[middle..] })
        {
            try
            {
                await influx.WriteAsync(half, cancellationToken, precision);
            }
            catch (InfluxException e) when (e.StatusCode == HttpStatusCode.BadRequest)
            {
                await SettleAsync(half, precision, e.ServerError ?? e.Message, refused, cancellationToken);
            }
        }
    }

    private void KeepRefused(List<(ReadOnlyMemory<byte> Line, string Reason)> refused, TimestampPrecision precision)
    {
        foreach (var (line, reason) in refused)
        {
            if (deadLetters.Append(line.Span, precision, reason, _time.GetUtcNow()))
            {
                IngestMetrics.DeadLettered.Add(1);
                Log.DeadLettered(_logger, deadLetters.Path, reason);
            }
            else
            {
                IngestMetrics.DeadLetterLost.Add(1);
                Log.DeadLetterFull(_logger, deadLetters.Path, reason);
            }
        }
    }

    private async Task AlertAsync(int lines, CancellationToken cancellationToken)
    {
        _alertActive = true;
        await PublishAsync(Alert.Raise(
            AlertConditions.TelemetryDeadLettered,
            null,
            $"InfluxDB refused {lines} forwarded line(s) that pushes had already been told were written; they are kept in {deadLetters.Path} with InfluxDB's reason. Fix the cause, write them again, then delete the file.",
            _time.GetUtcNow(),
            ImmutableDictionary<string, string>.Empty
                .Add("lines", lines.ToString(CultureInfo.InvariantCulture))
                .Add("file", deadLetters.Path)), cancellationToken);
    }

    /// <summary>The alert stays until an operator has dealt with the file (emptied or deleted it).</summary>
    private async Task ResolveAlertWhenDealtWithAsync(CancellationToken cancellationToken)
    {
        if (_alertActive && !deadLetters.HasLines)
        {
            _alertActive = false;
            await PublishAsync(Alert.Raise(AlertConditions.TelemetryDeadLettered, null, $"The dead-letter file {deadLetters.Path} is empty again.", _time.GetUtcNow(), resolved: true), cancellationToken);
        }
    }

    private async Task PublishAsync(Alert alert, CancellationToken cancellationToken)
    {
        try
        {
            await alerts.PublishAsync(alert, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.DeadLetterAlertFailed(_logger, alert.Condition, e);
        }
    }
}
