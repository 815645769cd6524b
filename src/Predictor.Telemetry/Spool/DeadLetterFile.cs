using System.Globalization;
using System.Text;
using Predictor.Core.Files;
using Predictor.Telemetry.LineProtocol;

namespace Predictor.Telemetry.Spool;

/// <summary>
/// Where the forwarder keeps lines InfluxDB refused after the push was acknowledged, so nothing acknowledged is dropped
/// unseen: <c>dead-letter.lp</c> beside the spool (0600), each line after a comment that says when, why and at which
/// precision (<c># 2026-01-05T10:00:00Z precision=s: partial write: field type conflict: …</c>), so that
/// <c>grep -v '^#'</c> of one precision's lines can be written again once the cause is fixed. Bounded by
/// <see cref="SpoolOptions.DeadLetterMaxBytes"/>.
/// </summary>
public sealed class DeadLetterFile(string path, long maxBytes)
{
    private readonly Lock _gate = new();

    public string Path { get; } = path;

    public static DeadLetterFile For(SpoolOptions options) =>
        new(System.IO.Path.Combine(options.Directory, "dead-letter.lp"), options.DeadLetterMaxBytes);

    /// <summary>Appends one refused line with its reason; false, with nothing written, when the file is full.</summary>
    public bool Append(ReadOnlySpan<byte> line, TimestampPrecision precision, string reason, DateTimeOffset at)
    {
        var header = Encoding.UTF8.GetBytes(string.Create(
            CultureInfo.InvariantCulture,
            $"# {at:yyyy-MM-ddTHH:mm:ss.fffZ} precision={TimestampPrecisions.V1Name(precision)}: {reason.ReplaceLineEndings(" ")}\n"));
        var body = line.TrimEnd((byte)'\n');
        lock (_gate)
        {
            var length = File.Exists(Path) ? new FileInfo(Path).Length : 0;
            if (length + header.Length + body.Length + 1 > maxBytes)
            {
                return false;
            }

            using var stream = new FileStream(Path, PrivateFiles.Create(FileMode.Append, FileAccess.Write, FileShare.Read));
            stream.Write(header);
            stream.Write(body);
            stream.WriteByte((byte)'\n');
            stream.Flush(flushToDisk: true);
        }

        return true;
    }

    /// <summary>Whether the file holds lines (an operator empties or deletes it once they are dealt with).</summary>
    public bool HasLines => File.Exists(Path) && new FileInfo(Path).Length > 0;
}
