using System.Globalization;

namespace Predictor.Simulation;

/// <summary>
/// Shape of a simulated datacenter and its telemetry. Everything the simulator produces is a pure
/// function of these options: the same options (same <see cref="Seed"/>) give the same fleet,
/// failures and samples.
/// </summary>
public sealed record SimulationOptions
{
    /// <summary>Number of hosts.</summary>
    /// <value>The default value is 200.</value>
    public int Hosts { get; init; } = 200;

    /// <summary>Mean number of VMs per host. Newer, bigger hosts carry more; each host is packed under its capacity, so a fleet asking for more than fits gets fewer.</summary>
    /// <value>The default value is 8.</value>
    public double VmsPerHost { get; init; } = 8;

    /// <summary>Seed of every random choice.</summary>
    /// <value>The default value is 1.</value>
    public int Seed { get; init; } = 1;

    /// <summary>Start of the simulated period.</summary>
    /// <value>The default value is 2026-01-05T00:00Z.</value>
    public DateTimeOffset Start { get; init; } = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Length of the simulated period; zero makes an inventory with no telemetry and no failures.</summary>
    /// <value>The default value is 2 days.</value>
    public TimeSpan Duration { get; init; } = TimeSpan.FromDays(2);

    /// <summary>Spacing of the telemetry grid (samples at <see cref="Start"/> + k × interval).</summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan TelemetryInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Host-down hardware failures per host per year. Real fleets see well under one per host-year; the default
    /// is deliberately elevated so that a short run has failures to predict: 200 hosts over 2 days expect about
    /// 200 × 15 × (2 days − 2 h warm-up) / 365 days ≈ 15.7 failures.
    /// </summary>
    /// <value>The default value is 15.</value>
    public double FailuresPerHostYear { get; init; } = 15;

    /// <summary>Share of failures that come with no precursor at all (sudden death).</summary>
    /// <value>The default value is 0.25.</value>
    public double NoWarningShare { get; init; } = 0.25;

    /// <summary>Datacenter name written to the inventory.</summary>
    /// <value>The default value is "dc1".</value>
    public string Datacenter { get; init; } = "dc1";

    /// <summary>No failure falls in the first part of the period, so a daemon can warm its windows up.</summary>
    public static TimeSpan FailureFreeWarmUp { get; } = TimeSpan.FromHours(2);

    /// <summary>Largest fleet (in VMs) the simulator builds in memory.</summary>
    public const double MaxVms = 20_000_000;

    /// <summary>End of the simulated period.</summary>
    public DateTimeOffset End => Start + Duration;

    /// <summary>Every problem with these options, each naming the option; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Hosts is < 1 or > 1_000_000)
        {
            errors.Add($"Hosts must be between 1 and 1000000, got {Hosts}.");
        }

        if (!(VmsPerHost >= 0) || VmsPerHost > 200)
        {
            errors.Add($"VmsPerHost must be between 0 and 200, got {Fmt(VmsPerHost)}.");
        }

        if (Hosts * VmsPerHost > MaxVms)
        {
            errors.Add($"Hosts × VmsPerHost must be at most {MaxVms}, got {Fmt(Hosts * VmsPerHost)}.");
        }

        if (Duration < TimeSpan.Zero || Duration > TimeSpan.FromDays(3660))
        {
            errors.Add($"Duration must be between 0 and 3660 days, got {Duration}.");
        }

        if (TelemetryInterval < TimeSpan.FromSeconds(1) || TelemetryInterval > TimeSpan.FromDays(1))
        {
            errors.Add($"TelemetryInterval must be between 1 second and 1 day, got {TelemetryInterval}.");
        }
        else if (TelemetryInterval.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            errors.Add($"TelemetryInterval must be a whole number of seconds, got {TelemetryInterval}.");
        }

        if (!(FailuresPerHostYear >= 0) || FailuresPerHostYear > 10_000)
        {
            errors.Add($"FailuresPerHostYear must be between 0 and 10000, got {Fmt(FailuresPerHostYear)}.");
        }

        if (!(NoWarningShare is >= 0 and <= 1))
        {
            errors.Add($"NoWarningShare must be between 0 and 1, got {Fmt(NoWarningShare)}.");
        }

        if (string.IsNullOrWhiteSpace(Datacenter))
        {
            errors.Add("Datacenter must be a non-empty name.");
        }

        if (Start.Offset != TimeSpan.Zero)
        {
            errors.Add($"Start must be in UTC (offset zero), got offset {Start.Offset}.");
        }

        return errors;
    }

    /// <summary>Throws one exception listing every problem when the options are invalid.</summary>
    /// <exception cref="ArgumentException">The options break one or more rules.</exception>
    public void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid simulation options ({errors.Count}):{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors));
        }
    }

    private static string Fmt(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
