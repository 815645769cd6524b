using Predictor.Core.Files;
using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Predictor.Core.Configuration;
using Predictor.Telemetry.LineProtocol;

namespace Predictor.Telemetry.Spool;

/// <summary>A spooled batch: line protocol with its precision, and where it lies in the spool.</summary>
public sealed record SpoolRecord(byte[] Payload, TimestampPrecision Precision, long Segment, long Offset, long NextOffset);

/// <summary>
/// A bounded, append-only, on-disk queue of line-protocol batches, replayed in order. Records sit in
/// numbered segment files as <c>'P' | length (int32 LE) | CRC-32 (uint32 LE) | precision (byte) | payload</c>;
/// the forwarded position is kept in a <c>cursor</c> file replaced atomically. An append reaches the OS
/// before it returns (so a kill -9 loses nothing acknowledged); a record torn by a crash fails its CRC and
/// is cut off on the next open. Delivery is at least once: a batch forwarded just before a crash, and not
/// yet acknowledged, is sent again.
/// </summary>
public sealed class DiskSpool : IDisposable
{
    private const int HeaderBytes = 10;
    private const byte Magic = (byte)'P';
    private readonly SpoolOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _appended = new(0, int.MaxValue);
    private FileStream _writer;
    private long _writeSegment;
    private long _readSegment;
    private long _readOffset;
    private long _pendingBytes;
    private long _lastFsync;

    public DiskSpool(SpoolOptions options, TimeProvider time, ILogger<DiskSpool>? logger = null)
    {
        OptionsGuard.ThrowIfInvalid(options, nameof(options));

        _options = options;
        _time = time;
        _logger = logger ?? NullLogger<DiskSpool>.Instance;
        PrivateFiles.EnsureDirectory(options.Directory);
        (_readSegment, _readOffset) = ReadCursor();
        var segments = ListSegments();
        foreach (var old in segments.Where(s => s < _readSegment))
        {
            File.Delete(SegmentPath(old));
        }

        segments = segments.Where(s => s >= _readSegment).ToList();
        foreach (var s in segments)
        {
            var valid = ValidLength(SegmentPath(s));
            _pendingBytes += valid - (s == _readSegment ? Math.Min(_readOffset, valid) : 0);
        }

        if (segments.Count == 0 || segments[0] > _readSegment)
        {
            // The cursor's segment is gone (fully forwarded and deleted): start at the next one.
            _readOffset = 0;
        }

        _writeSegment = segments.Count > 0 ? segments[^1] : Math.Max(_readSegment, 1);
        _readSegment = segments.Count > 0 ? Math.Max(_readSegment, segments[0]) : _writeSegment;

        _writer = OpenForAppend(_writeSegment);
        _lastFsync = _time.GetTimestamp();
        Log.Opened(_logger, options.Directory, _pendingBytes);
    }

    /// <summary>Bytes appended and not yet acknowledged (headers included).</summary>
    public long PendingBytes
    {
        get
        {
            lock (_gate)
            {
                return _pendingBytes;
            }
        }
    }

    public long MaxBytes => _options.MaxBytes;

    /// <summary>Whether a payload of this size would fit now.</summary>
    public bool HasRoomFor(int payloadBytes)
    {
        lock (_gate)
        {
            return _pendingBytes + HeaderBytes + payloadBytes <= _options.MaxBytes;
        }
    }

    /// <summary>Appends a batch; false, with nothing written, when the spool is full.</summary>
    public bool TryAppend(ReadOnlySpan<byte> payload, TimestampPrecision precision)
    {
        var size = HeaderBytes + payload.Length;
        var record = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            record[0] = Magic;
            BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(1), payload.Length);
            record[9] = (byte)precision;
            payload.CopyTo(record.AsSpan(HeaderBytes));
            BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(5), Crc32.Compute(record.AsSpan(9, 1 + payload.Length)));
            lock (_gate)
            {
                if (_pendingBytes + size > _options.MaxBytes)
                {
                    IngestMetrics.SpoolRejected.Add(1);
                    return false;
                }

                if (_writer.Length > 0 && _writer.Length + size > _options.SegmentBytes)
                {
                    Sync();
                    _writer.Dispose();
                    _writeSegment++;
                    _writer = OpenForAppend(_writeSegment);
                }

                _writer.Write(record, 0, size);
                _writer.Flush(flushToDisk: false);
                var now = _time.GetTimestamp();
                if (_options.FsyncPolicy == SpoolFsyncPolicy.Always
                    || (_options.FsyncPolicy == SpoolFsyncPolicy.Interval && _time.GetElapsedTime(_lastFsync, now) >= _options.FsyncInterval))
                {
                    Sync();
                    _lastFsync = now;
                }

                _pendingBytes += size;
            }

            IngestMetrics.SpoolBytesAppended.Add(size);
            _appended.Release();
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(record);
        }
    }

    /// <summary>The oldest batch not yet acknowledged, or null when the spool is empty.</summary>
    public SpoolRecord? Peek()
    {
        long segment;
        long offset;
        lock (_gate)
        {
            while (true)
            {
                var length = _readSegment == _writeSegment ? _writer.Length : FileLength(SegmentPath(_readSegment));
                if (_readOffset < length)
                {
                    break;
                }

                if (_readSegment >= _writeSegment)
                {
                    return null;
                }

                File.Delete(SegmentPath(_readSegment));
                _readSegment++;
                _readOffset = 0;
            }

            segment = _readSegment;
            offset = _readOffset;
        }

        using var handle = File.OpenHandle(SegmentPath(segment), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        Span<byte> header = stackalloc byte[HeaderBytes];
        RandomAccess.Read(handle, header, offset);
        var length32 = BinaryPrimitives.ReadInt32LittleEndian(header[1..]);
        var payload = new byte[length32];
        RandomAccess.Read(handle, payload, offset + HeaderBytes);
        return new SpoolRecord(payload, (TimestampPrecision)header[9], segment, offset, offset + HeaderBytes + length32);
    }

    /// <summary>Marks a batch from <see cref="Peek"/> as forwarded; the cursor is persisted before this returns.</summary>
    public void Acknowledge(SpoolRecord record)
    {
        lock (_gate)
        {
            if (record.Segment != _readSegment || record.Offset != _readOffset)
            {
                throw new InvalidOperationException($"Acknowledged {record.Segment}:{record.Offset} but the oldest record is {_readSegment}:{_readOffset}.");
            }

            _readOffset = record.NextOffset;
            _pendingBytes -= record.NextOffset - record.Offset;
            WriteCursor(_readSegment, _readOffset);
            if (_readSegment < _writeSegment && _readOffset >= FileLength(SegmentPath(_readSegment)))
            {
                File.Delete(SegmentPath(_readSegment));
                _readSegment++;
                _readOffset = 0;
                WriteCursor(_readSegment, _readOffset);
            }
        }
    }

    /// <summary>Completes when something was appended since the last wait (or at once if it already was).</summary>
    public Task WaitForAppendAsync(CancellationToken cancellationToken) => _appended.WaitAsync(cancellationToken);

    public void Dispose()
    {
        lock (_gate)
        {
            Sync();
            _writer.Dispose();
        }

        _appended.Dispose();
    }

    private void Sync() => _writer.Flush(flushToDisk: true);

    private FileStream OpenForAppend(long segment)
    {
        var stream = new FileStream(SegmentPath(segment), PrivateFiles.Create(FileMode.Append, FileAccess.Write, FileShare.Read | FileShare.Delete, 1));
        return stream;
    }

    /// <summary>Length of the whole records in a segment; a torn or corrupt tail is truncated.</summary>
    private long ValidLength(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        var length = RandomAccess.GetLength(handle);
        long offset = 0;
        Span<byte> header = stackalloc byte[HeaderBytes];
        while (offset < length)
        {
            if (length - offset < HeaderBytes || RandomAccess.Read(handle, header, offset) < HeaderBytes || header[0] != Magic)
            {
                break;
            }

            var payloadLength = BinaryPrimitives.ReadInt32LittleEndian(header[1..]);
            if (payloadLength < 0 || offset + HeaderBytes + payloadLength > length || header[9] > (byte)TimestampPrecision.Hours)
            {
                break;
            }

            var payload = ArrayPool<byte>.Shared.Rent(payloadLength + 1);
            try
            {
                payload[0] = header[9];
                RandomAccess.Read(handle, payload.AsSpan(1, payloadLength), offset + HeaderBytes);
                if (Crc32.Compute(payload.AsSpan(0, payloadLength + 1)) != BinaryPrimitives.ReadUInt32LittleEndian(header[5..]))
                {
                    break;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(payload);
            }

            offset += HeaderBytes + payloadLength;
        }

        if (offset < length)
        {
            Log.TruncatedTornTail(_logger, path, offset, length - offset);
            RandomAccess.SetLength(handle, offset);
        }

        return offset;
    }

    private List<long> ListSegments() =>
        Directory.EnumerateFiles(_options.Directory, "*.seg")
            .Select(p => long.TryParse(Path.GetFileNameWithoutExtension(p), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1)
            .Where(n => n > 0)
            .Order()
            .ToList();

    private (long Segment, long Offset) ReadCursor()
    {
        var path = Path.Combine(_options.Directory, "cursor");
        if (!File.Exists(path))
        {
            return (1, 0);
        }

        var parts = File.ReadAllText(path).Split(' ');
        return parts.Length == 2
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var s)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var o)
            ? (s, o)
            : throw new InvalidDataException($"Spool cursor {path} is unreadable ('{File.ReadAllText(path)}'); expected '<segment> <offset>'.");
    }

    private void WriteCursor(long segment, long offset)
    {
        var path = Path.Combine(_options.Directory, "cursor");
        var temp = path + ".tmp";
        File.WriteAllText(temp, string.Create(CultureInfo.InvariantCulture, $"{segment} {offset}"));
        File.Move(temp, path, overwrite: true);
    }

    private string SegmentPath(long segment) =>
        Path.Combine(_options.Directory, segment.ToString("D16", CultureInfo.InvariantCulture) + ".seg");

    private static long FileLength(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}
