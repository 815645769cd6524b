using System.ComponentModel.DataAnnotations;
using Predictor.Core.Configuration;

namespace Predictor.Telemetry.Spool;

/// <summary>When appended batches are forced to stable storage (every append reaches the OS before it is acknowledged, which is what survives kill -9; fsync adds power loss).</summary>
public enum SpoolFsyncPolicy
{
    /// <summary>fsync before each append returns.</summary>
    Always,

    /// <summary>fsync at most once per <see cref="SpoolOptions.FsyncInterval"/>.</summary>
    Interval,

    /// <summary>Leave it to the OS.</summary>
    Never,
}

/// <summary>The bounded on-disk spool of pushed points waiting to be forwarded to InfluxDB.</summary>
[OptionsSection("Spool")]
public sealed class SpoolOptions : IValidatableObject
{
    /// <summary>Directory of segment files (created if missing).</summary>
    /// <value>The default value is <c>spool</c>.</value>
    [NotEmpty(Expected = "a directory")]
    public string Directory { get; set; } = "spool";

    /// <summary>Bytes the spool may hold before it refuses appends (and raises the SpoolFull alert).</summary>
    /// <value>The default value is 1 GiB.</value>
    [InRange(typeof(long), "1048576", "9223372036854775807")]
    public long MaxBytes { get; set; } = 1L << 30;

    /// <summary>Size at which a new segment file is started; fully forwarded segments are deleted.</summary>
    /// <value>The default value is 64 MiB.</value>
    public long SegmentBytes { get; set; } = 64L << 20;

    /// <value>The default value is <see cref="SpoolFsyncPolicy.Interval"/>.</value>
    public SpoolFsyncPolicy FsyncPolicy { get; set; } = SpoolFsyncPolicy.Interval;

    /// <value>The default value is 1 second.</value>
    [InRange(typeof(TimeSpan), "00:00:00", InRangeAttribute.Unbounded, MinimumIsExclusive = true)]
    public TimeSpan FsyncInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Bytes the dead-letter file (<c>dead-letter.lp</c> in <see cref="Directory"/>) may grow to: lines InfluxDB refused
    /// when the spool forwarded them (a field type conflict with what it already holds), kept with the reason until an
    /// operator replays or deletes them. Lines beyond it are counted and logged, not kept.
    /// </summary>
    /// <value>The default value is 256 MiB.</value>
    [InRange(typeof(long), "65536", "9223372036854775807")]
    public long DeadLetterMaxBytes { get; set; } = 256L << 20;

    /// <summary>The rule no attribute states: a segment fits in the spool.</summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (SegmentBytes < 64 << 10 || SegmentBytes > MaxBytes)
        {
            yield return OptionsError.Invalid("Spool:SegmentBytes", "out of range", SegmentBytes, FormattableString.Invariant($"{64 << 10} (64 KiB) to Spool:MaxBytes ({MaxBytes})"));
        }
    }
}
