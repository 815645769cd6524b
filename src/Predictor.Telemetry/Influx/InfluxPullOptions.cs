namespace Predictor.Telemetry.Influx;

/// <summary>The pull source: periodic InfluxQL queries whose rows go through the signal mapping.</summary>
public sealed class InfluxPullOptions
{
    /// <value>The default value is 60 seconds.</value>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How far back the first pass reads.</summary>
    /// <value>The default value is 15 minutes.</value>
    public TimeSpan InitialLookback { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Measurements to read; empty reads every measurement (<c>/.*/</c>).</summary>
    /// <value>The default value is empty.</value>
    public List<string> Measurements { get; set; } = [];

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Interval < TimeSpan.FromSeconds(1))
        {
            errors.Add($"InfluxPull:Interval is {Interval}; expected at least 1 second.");
        }

        if (InitialLookback <= TimeSpan.Zero)
        {
            errors.Add($"InfluxPull:InitialLookback is {InitialLookback}; expected more than 0.");
        }

        for (var i = 0; i < Measurements.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Measurements[i]))
            {
                errors.Add($"InfluxPull:Measurements:{i} must not be empty.");
            }
        }

        return errors;
    }
}
