using Predictor.Core.Configuration;
using Predictor.Telemetry.Windows;

namespace Predictor.Telemetry.Tests.Windows;

public sealed class HostWindowOptionsTests
{
    [Fact]
    public void Validate_Defaults_NoErrors() => Assert.Empty(OptionsGuard.Errors(new HostWindowOptions()));

    [Fact]
    public void Validate_EveryTierTooShort_AllErrorsAtOnce()
    {
        var options = new HostWindowOptions { FineBucket = TimeSpan.FromMinutes(10), FineBuckets = 6, HourlyBuckets = 24, CoarseBucket = TimeSpan.FromHours(12), CoarseBuckets = 6 };

        Assert.Equal(
            [
                "Windows:FineBuckets: out of range (got 6; expected 7 to 10000, an hour of 00:10:00 buckets and the one in progress).",
                "Windows:HourlyBuckets: out of range (got 24; expected 25 to 10000, a day and the hour in progress).",
                "Windows:CoarseBuckets: out of range (got 6; expected 7 to 10000, 3 days of 12:00:00 buckets and the one in progress).",
            ],
            OptionsGuard.Errors(options));
    }

    [Fact]
    public void Constructor_BucketWidthsNotDividingAnHourOrADay_Throws()
    {
        var options = new HostWindowOptions { FineBucket = TimeSpan.FromMinutes(7), CoarseBucket = TimeSpan.FromHours(5) };

        var error = Assert.Throws<ArgumentException>(() => new HostWindowStore(options));

        Assert.Equal(
            "Windows:FineBucket: does not divide an hour (got 00:07:00; expected a whole fraction of an hour, at least 1 second). " +
            "Windows:CoarseBucket: does not divide a day (got 05:00:00; expected a whole number of hours from 1 to 12 that divides a day). (Parameter 'options')",
            error.Message);
    }
}
