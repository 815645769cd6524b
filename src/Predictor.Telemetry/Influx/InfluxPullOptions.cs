using System.ComponentModel.DataAnnotations;
using Predictor.Core.Configuration;

namespace Predictor.Telemetry.Influx;

/// <summary>The pull source: periodic InfluxQL queries whose rows go through the signal mapping.</summary>
[OptionsSection("InfluxPull")]
public sealed class InfluxPullOptions : IValidatableObject
{
    /// <value>The default value is 60 seconds.</value>
    [InRange(typeof(TimeSpan), "00:00:01", InRangeAttribute.Unbounded)]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How far back the first pass reads.</summary>
    /// <value>The default value is 15 minutes.</value>
    [InRange(typeof(TimeSpan), "00:00:00", InRangeAttribute.Unbounded, MinimumIsExclusive = true)]
    public TimeSpan InitialLookback { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Measurements to read; empty reads every measurement (<c>/.*/</c>).</summary>
    /// <value>The default value is empty.</value>
    public List<string> Measurements { get; set; } = [];

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Measurements.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Measurements[i]))
            {
                yield return OptionsError.Invalid(FormattableString.Invariant($"InfluxPull:Measurements:{i}"), "empty", Measurements[i], "a measurement name");
            }
        }
    }
}
