using System.Text;
using Predictor.Telemetry.LineProtocol;
using Predictor.Telemetry.Spool;
using Predictor.Testing;

namespace Predictor.Telemetry.Tests.Spool;

public sealed class DiskSpoolTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "spool-test-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void PeekAcknowledge_ThreeBatches_ReturnedInOrderThenEmpty()
    {
        using var spool = Open();
        Assert.True(spool.TryAppend("a v=1 1\n"u8, TimestampPrecision.Seconds));
        Assert.True(spool.TryAppend("b v=2 2\n"u8, TimestampPrecision.Milliseconds));
        Assert.True(spool.TryAppend("c v=3 3\n"u8, TimestampPrecision.Nanoseconds));

        Assert.Equal(["a v=1 1\n", "b v=2 2\n", "c v=3 3\n"], Drain(spool).Select(r => r.Text));
        Assert.Null(spool.Peek());
        Assert.Equal(0, spool.PendingBytes);
    }

    [Fact]
    public void Reopen_AfterRestart_UnacknowledgedBatchesReplayedInOrder()
    {
        using (var spool = Open())
        {
            spool.TryAppend("a v=1\n"u8, TimestampPrecision.Seconds);
            spool.TryAppend("b v=2\n"u8, TimestampPrecision.Milliseconds);
            spool.TryAppend("c v=3\n"u8, TimestampPrecision.Seconds);
            spool.Acknowledge(spool.Peek()!);
        }

        using var reopened = Open();
        Assert.Equal([("b v=2\n", TimestampPrecision.Milliseconds), ("c v=3\n", TimestampPrecision.Seconds)], Drain(reopened).Select(r => (r.Text, r.Precision)));
    }

    [Fact]
    public void Reopen_TornLastRecord_TruncatedAndEarlierRecordsKept()
    {
        using (var spool = Open())
        {
            spool.TryAppend("a v=1\n"u8, TimestampPrecision.Seconds);
            spool.TryAppend("b v=2\n"u8, TimestampPrecision.Seconds);
        }

        var segment = Directory.GetFiles(_dir, "*.seg").Single();
        var whole = new FileInfo(segment).Length;
        using (var f = new FileStream(segment, FileMode.Append))
        {
            f.Write([(byte)'P', 200, 0, 0, 0, 1, 2, 3, 4, 0, (byte)'c', (byte)' ']);
        }

        using var reopened = Open();
        Assert.Equal(["a v=1\n", "b v=2\n"], Drain(reopened).Select(r => r.Text));
        Assert.Equal(whole, new FileInfo(segment).Length);
    }

    [Fact]
    public void Reopen_CorruptPayload_CrcRejectsRecordAndEverythingAfter()
    {
        using (var spool = Open())
        {
            spool.TryAppend("a v=1\n"u8, TimestampPrecision.Seconds);
            spool.TryAppend("b v=2\n"u8, TimestampPrecision.Seconds);
        }

        var segment = Directory.GetFiles(_dir, "*.seg").Single();
        var bytes = File.ReadAllBytes(segment);
        bytes[^3] ^= 0x20;
        File.WriteAllBytes(segment, bytes);

        using var reopened = Open();
        Assert.Equal(["a v=1\n"], Drain(reopened).Select(r => r.Text));
    }

    [Fact]
    public void TryAppend_BeyondMaxBytes_RefusedUntilDrained()
    {
        using var spool = Open(maxBytes: 1 << 20, segmentBytes: 256 << 10);
        var big = new byte[400_000];
        Assert.True(spool.TryAppend(big, TimestampPrecision.Seconds));
        Assert.True(spool.TryAppend(big, TimestampPrecision.Seconds));
        Assert.False(spool.TryAppend(big, TimestampPrecision.Seconds));
        Assert.False(spool.HasRoomFor(big.Length));

        spool.Acknowledge(spool.Peek()!);

        Assert.True(spool.TryAppend(big, TimestampPrecision.Seconds));
    }

    [Fact]
    public void Acknowledge_AcrossSegments_DeletesForwardedSegments()
    {
        using var spool = Open(maxBytes: 1 << 20, segmentBytes: 64 << 10);
        for (var i = 0; i < 10; i++)
        {
            spool.TryAppend(Encoding.UTF8.GetBytes($"m v={i} {i}\n" + new string('#', 20_000)), TimestampPrecision.Seconds);
        }

        Assert.True(Directory.GetFiles(_dir, "*.seg").Length >= 3);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"m v={i} {i}"), Drain(spool).Select(r => r.Text.Split('\n')[0]));
        Assert.Single(Directory.GetFiles(_dir, "*.seg"));
    }

    private DiskSpool Open(long maxBytes = 8 << 20, long segmentBytes = 1 << 20) =>
        new(new SpoolOptions { Directory = _dir, MaxBytes = maxBytes, SegmentBytes = segmentBytes, FsyncPolicy = SpoolFsyncPolicy.Always }, new ManualTimeProvider());

    private static List<(string Text, TimestampPrecision Precision)> Drain(DiskSpool spool)
    {
        var list = new List<(string, TimestampPrecision)>();
        while (spool.Peek() is { } record)
        {
            list.Add((Encoding.UTF8.GetString(record.Payload), record.Precision));
            spool.Acknowledge(record);
        }

        return list;
    }
}
