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
public sealed class SpoolOptions
{
    /// <summary>Directory of segment files (created if missing).</summary>
    /// <value>The default value is <c>spool</c>.</value>
    public string Directory { get; set; } = "spool";

    /// <summary>Bytes the spool may hold before it refuses appends (and raises the SpoolFull alert).</summary>
    /// <value>The default value is 1 GiB.</value>
    public long MaxBytes { get; set; } = 1L << 30;

    /// <summary>Size at which a new segment file is started; fully forwarded segments are deleted.</summary>
    /// <value>The default value is 64 MiB.</value>
    public long SegmentBytes { get; set; } = 64L << 20;

    /// <value>The default value is <see cref="SpoolFsyncPolicy.Interval"/>.</value>
    public SpoolFsyncPolicy FsyncPolicy { get; set; } = SpoolFsyncPolicy.Interval;

    /// <value>The default value is 1 second.</value>
    public TimeSpan FsyncInterval { get; set; } = TimeSpan.FromSeconds(1);

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Directory))
        {
            errors.Add("Spool:Directory must not be empty.");
        }

        if (MaxBytes < 1 << 20)
        {
            errors.Add($"Spool:MaxBytes is {MaxBytes}; expected at least 1 MiB.");
        }

        if (SegmentBytes < 64 << 10 || SegmentBytes > MaxBytes)
        {
            errors.Add($"Spool:SegmentBytes is {SegmentBytes}; expected 64 KiB to Spool:MaxBytes.");
        }

        if (FsyncInterval <= TimeSpan.Zero)
        {
            errors.Add($"Spool:FsyncInterval is {FsyncInterval}; expected more than 0.");
        }

        return errors;
    }
}
