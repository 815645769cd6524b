using System.Buffers;
using System.Buffers.Text;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Predictor.Core.Alerts;
using Predictor.Core.Configuration;
using Predictor.Telemetry.LineProtocol;
using Predictor.Telemetry.Mapping;
using Predictor.Telemetry.Spool;

namespace Predictor.Telemetry.Push;

/// <summary>
/// Ingests a pushed line-protocol batch: every valid line is mapped to signals and, when forwarding is
/// on, written to the spool (with the receive time added to lines that had no timestamp, so a replay
/// after an outage keeps their time) before the caller answers; malformed lines are reported, not fatal.
/// A line is valid when InfluxDB 1.x would take it: its grammar (<see cref="LineProtocolReader"/>) and what it refuses
/// only when storing (<see cref="InfluxWriteRules"/>); a field type conflict with what InfluxDB already holds cannot be
/// known here, and the forwarder keeps such lines in its dead-letter file.
/// A full spool refuses the batch whole and raises the <see cref="AlertConditions.SpoolFull"/> alert.
/// </summary>
public sealed class InfluxPushHandler
{
    [ThreadStatic]
    private static LineProtocolScratch? t_scratch;

    private readonly SignalMapper _mapper;
    private readonly DiskSpool? _spool;
    private readonly IAlertPublisher _alerts;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private int _spoolFullRaised;

    /// <param name="options">The push options.</param>
    /// <param name="mapper">Where points become signals.</param>
    /// <param name="spool">The forwarding spool (needed with <see cref="PushOptions.Forward"/>).</param>
    /// <param name="alerts">Where <see cref="AlertConditions.SpoolFull"/> goes.</param>
    /// <param name="time">The daemon's clock: receive times of points without a timestamp.</param>
    /// <param name="logger">The handler's log.</param>
    /// <param name="clientCertificates">The writers' CAs (needed with <see cref="PushOptions.ClientCertificates"/>), on the machine's clock.</param>
    public InfluxPushHandler(PushOptions options, SignalMapper mapper, DiskSpool? spool, IAlertPublisher alerts, TimeProvider time, ILogger<InfluxPushHandler>? logger = null, ClientCertificateTrust? clientCertificates = null)
    {
        var errors = OptionsGuard.Errors(options).ToList();
        if (options.Forward && spool is null)
        {
            errors.Add(OptionsError.Message("Push:Forward", "on without a spool (expected a spool to forward the points from)"));
        }

        if (options.ClientCertificates != PushClientCertificates.None && clientCertificates is null)
        {
            errors.Add(OptionsError.Message("Push:ClientCertificates", $"{options.ClientCertificates} without the CAs to check them against (expected a ClientCertificateTrust)"));
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        Options = options;
        ClientCertificates = options.ClientCertificates == PushClientCertificates.None ? null : clientCertificates;
        _mapper = mapper;
        _spool = options.Forward ? spool : null;
        _alerts = alerts;
        _time = time;
        _logger = logger ?? NullLogger<InfluxPushHandler>.Instance;
    }

    public PushOptions Options { get; }

    /// <summary>The CAs writers' client certificates must chain to; null when pushes present none.</summary>
    public ClientCertificateTrust? ClientCertificates { get; }

    public TimeProvider Time => _time;

    public Task<PushOutcome> IngestAsync(ReadOnlyMemory<byte> body, TimestampPrecision precision, CancellationToken cancellationToken) =>
        IngestAsync(body, precision, null, cancellationToken);

    /// <param name="body">The batch.</param>
    /// <param name="precision">Its timestamps' precision.</param>
    /// <param name="bound">The host token the writer bore: its lines for other hosts are refused; null for a fleet token.</param>
    /// <param name="cancellationToken">The request's.</param>
    public async Task<PushOutcome> IngestAsync(ReadOnlyMemory<byte> body, TimestampPrecision precision, HostToken? bound, CancellationToken cancellationToken)
    {
        // Room for the batch with a timestamp added to every line is checked before anything is mapped, so a
        // refused batch (which the writer will send again) is not mapped twice.
        if (_spool is not null && !_spool.HasRoomFor(body.Length + 21 * CountNewlines(body.Span)))
        {
            await SpoolFullAsync(cancellationToken);
            return new PushOutcome(0, [], SpoolFull: true);
        }

        var receivedAt = _time.GetUtcNow();
        var forward = _spool is null ? null : new ArrayBufferWriter<byte>(body.Length + 64);
        var (accepted, errors) = Parse(body.Span, precision, receivedAt, forward, bound);
        IngestMetrics.PushLinesAccepted.Add(accepted);
        IngestMetrics.PushLinesRejected.Add(errors.Count);
        if (errors.Count > 0)
        {
            Log.PartialWrite(_logger, errors.Count, accepted, errors[0].ToString());
        }

        if (forward is not null && forward.WrittenCount > 0)
        {
            if (!_spool!.TryAppend(forward.WrittenSpan, precision))
            {
                await SpoolFullAsync(cancellationToken);
                return new PushOutcome(accepted, errors, SpoolFull: true);
            }

            if (Interlocked.Exchange(ref _spoolFullRaised, 0) == 1)
            {
                Log.SpoolRecovered(_logger);
                await PublishAsync(SpoolAlert(resolved: true), cancellationToken);
            }
        }

        return new PushOutcome(accepted, errors, SpoolFull: false);
    }

    /// <summary>Why a host token may not write this line (another host, or no host tag); null when it may.</summary>
    private string? Forbidden(ref LineProtocolReader reader, HostToken bound) =>
        !reader.TryGetTag(_mapper.HostTagKey, out var host) ? "this token may write only its own hosts, and the line has no host tag"
        : bound.Allows(host.ToString()) ? null
        : $"this token may not write host '{host.ToString()}'";

    private (int Accepted, List<LineProtocolError> Errors) Parse(ReadOnlySpan<byte> body, TimestampPrecision precision, DateTimeOffset receivedAt, ArrayBufferWriter<byte>? forward, HostToken? bound)
    {
        var scratch = t_scratch ??= new LineProtocolScratch();
        var reader = new LineProtocolReader(body, precision, scratch, Options.UnsignedIntegers);
        var accepted = 0;
        var errors = new List<LineProtocolError>();
        var stamp = TimestampPrecisions.ToTimestamp(receivedAt, precision);
        while (true)
        {
            var result = reader.Read();
            if (result == LineReadResult.End)
            {
                return (accepted, errors);
            }

            if (result == LineReadResult.Error)
            {
                errors.Add(reader.Error!);
                continue;
            }

            if (((bound is not null ? Forbidden(ref reader, bound) : null) ?? InfluxWriteRules.Refusal(ref reader)) is { } refused)
            {
                errors.Add(new LineProtocolError(reader.LineNumber, 1, refused, Encoding.UTF8.GetString(reader.RawLine[..Math.Min(reader.RawLine.Length, 256)])));
                continue;
            }

            accepted++;
            _mapper.Map(ref reader, receivedAt);
            if (forward is not null)
            {
                var line = reader.RawLine.TrimEnd((byte)' ');
                var span = forward.GetSpan(line.Length + 22);
                line.CopyTo(span);
                var n = line.Length;
                if (!reader.HasTimestamp)
                {
                    span[n++] = (byte)' ';
                    Utf8Formatter.TryFormat(stamp, span[n..], out var written);
                    n += written;
                }

                span[n++] = (byte)'\n';
                forward.Advance(n);
            }
        }
    }

    private async Task SpoolFullAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _spoolFullRaised, 1) == 0)
        {
            Log.SpoolFull(_logger, _spool!.PendingBytes, _spool.MaxBytes);
            await PublishAsync(SpoolAlert(resolved: false), cancellationToken);
        }
    }

    private Alert SpoolAlert(bool resolved) => Alert.Raise(
        AlertConditions.SpoolFull,
        null,
        resolved
            ? "The telemetry spool has room again; pushed points are accepted."
            : "The telemetry spool is full: InfluxDB has not taken spooled points and pushes are refused with 503.",
        _time.GetUtcNow(),
        ImmutableDictionary<string, string>.Empty
            .Add("pendingBytes", _spool!.PendingBytes.ToString(CultureInfo.InvariantCulture))
            .Add("maxBytes", _spool.MaxBytes.ToString(CultureInfo.InvariantCulture)),
        resolved);

    private async Task PublishAsync(Alert alert, CancellationToken cancellationToken)
    {
        try
        {
            await _alerts.PublishAsync(alert, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.AlertFailed(_logger, alert.Condition, e);
        }
    }

    private static int CountNewlines(ReadOnlySpan<byte> body) => body.Count((byte)'\n') + 1;
}
