using System.ComponentModel.DataAnnotations;
using Predictor.Core.Configuration;

namespace Predictor.Telemetry.Windows;

/// <summary>
/// Resolutions of the in-process telemetry store: fine buckets for the last hour, hourly buckets for the last day,
/// coarse buckets for the last week. The defaults keep a series in under 900 bytes (measured by the benchmarks' <c>window-memory</c> mode).
/// </summary>
[OptionsSection("Windows")]
public sealed class HostWindowOptions : IValidatableObject
{
    /// <summary>Width of the fine buckets (the 1-hour features).</summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan FineBucket { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Fine buckets kept; with <see cref="FineBucket"/> they must cover an hour plus the bucket in progress.</summary>
    /// <value>The default value is 13.</value>
    public int FineBuckets { get; set; } = 13;

    /// <summary>Hourly buckets kept; at least 25 (the 24-hour features plus the hour in progress).</summary>
    /// <value>The default value is 25.</value>
    public int HourlyBuckets { get; set; } = 25;

    /// <summary>Width of the coarse buckets (the 3-day features and the history).</summary>
    /// <value>The default value is 6 hours.</value>
    public TimeSpan CoarseBucket { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Coarse buckets kept; with <see cref="CoarseBucket"/> they must cover 3 days plus the bucket in progress.</summary>
    /// <value>The default value is 29 (a week and the bucket in progress).</value>
    public int CoarseBuckets { get; set; } = 29;

    /// <summary>The tiers' rules: bucket widths that tile an hour (a day) and enough buckets to cover each feature's span.</summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (FineBucket < TimeSpan.FromSeconds(1) || FineBucket > TimeSpan.FromHours(1) || TimeSpan.FromHours(1).Ticks % FineBucket.Ticks != 0)
        {
            yield return OptionsError.Invalid("Windows:FineBucket", "does not divide an hour", FineBucket, "a whole fraction of an hour, at least 1 second");
        }
        else if (FineBuckets < TimeSpan.FromHours(1) / FineBucket + 1 || FineBuckets > 10_000)
        {
            yield return OptionsError.Invalid("Windows:FineBuckets", "out of range", FineBuckets,
                FormattableString.Invariant($"{TimeSpan.FromHours(1) / FineBucket + 1} to 10000, an hour of {FineBucket} buckets and the one in progress"));
        }

        if (HourlyBuckets is < 25 or > 10_000)
        {
            yield return OptionsError.Invalid("Windows:HourlyBuckets", "out of range", HourlyBuckets, "25 to 10000, a day and the hour in progress");
        }

        if (CoarseBucket < TimeSpan.FromHours(1) || CoarseBucket > TimeSpan.FromHours(12) || CoarseBucket.Ticks % TimeSpan.TicksPerHour != 0 || TimeSpan.FromDays(1).Ticks % CoarseBucket.Ticks != 0)
        {
            yield return OptionsError.Invalid("Windows:CoarseBucket", "does not divide a day", CoarseBucket, "a whole number of hours from 1 to 12 that divides a day");
        }
        else if (CoarseBuckets < TimeSpan.FromDays(3) / CoarseBucket + 1 || CoarseBuckets > 10_000)
        {
            yield return OptionsError.Invalid("Windows:CoarseBuckets", "out of range", CoarseBuckets,
                FormattableString.Invariant($"{TimeSpan.FromDays(3) / CoarseBucket + 1} to 10000, 3 days of {CoarseBucket} buckets and the one in progress"));
        }
    }
}
