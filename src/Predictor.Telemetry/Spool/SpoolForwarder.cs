using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Predictor.Telemetry.Influx;

namespace Predictor.Telemetry.Spool;

/// <summary>
/// Replays the spool to InfluxDB in order, one batch at a time, acknowledging each only after InfluxDB
/// accepted it. While InfluxDB is unreachable (or refuses credentials, or lacks the database) it waits with
/// backoff on the injected clock and tries the same batch again; only a 400 (the batch itself is bad) skips it.
/// </summary>
public sealed class SpoolForwarder(DiskSpool spool, InfluxClient influx, TimeProvider time, ILogger<SpoolForwarder>? logger = null)
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);
    private readonly TimeProvider _time = time;
    private readonly ILogger _logger = logger ?? NullLogger<SpoolForwarder>.Instance;

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

                    await spool.WaitForAppendAsync(cancellationToken);
                    continue;
                }

                try
                {
                    await influx.WriteAsync(record.Payload, cancellationToken, record.Precision);
                    spool.Acknowledge(record);
                    delay = FirstDelay;
                }
                catch (InfluxException e) when (e.StatusCode == HttpStatusCode.BadRequest)
                {
                    Log.BatchRefused(_logger, record.Payload.Length, e.Message);
                    spool.Acknowledge(record);
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
}
