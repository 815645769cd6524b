using Microsoft.Extensions.Options;
using Predictor.Core.Configuration;

namespace Predictor.Simulation.Scenarios;

/// <summary>The embedded default's simulated datacenter. Bound from configuration section "Simulation".</summary>
[OptionsSection(SectionName)]
public sealed class SimulationSettings
{
    public const string SectionName = "Simulation";

    /// <summary>Hosts in the simulated datacenter.</summary>
    /// <value>The default value is 200.</value>
    [InRange(2, 1_000_000)]
    public int Hosts { get; set; } = 200;

    /// <summary>Mean VMs per host.</summary>
    /// <value>The default value is 8.</value>
    [InRange(0.0, 200.0)]
    public double VmsPerHost { get; set; } = 8;

    /// <summary>Seed of everything random in the simulation.</summary>
    /// <value>The default value is 1.</value>
    public int Seed { get; set; } = 1;

    /// <summary>Telemetry interval of every simulated host.</summary>
    /// <value>The default value is 5 minutes.</value>
    [InRange(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan TelemetryInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Injected failure rate, deliberately far above real fleets so short runs see failures.</summary>
    /// <value>The default value is 15 per host-year.</value>
    [InRange(0.0, 365.0)]
    public double FailuresPerHostYear { get; set; } = 15;

    /// <summary>Share of failures with no precursor at all.</summary>
    /// <value>The default value is 0.25.</value>
    [InRange(0.0, 1.0)]
    public double NoWarningShare { get; set; } = 0.25;

    public SimulationOptions ToOptions(TimeSpan duration) => new()
    {
        Hosts = Hosts,
        VmsPerHost = VmsPerHost,
        Seed = Seed,
        TelemetryInterval = TelemetryInterval,
        FailuresPerHostYear = FailuresPerHostYear,
        NoWarningShare = NoWarningShare,
        Duration = duration,
    };
}

/// <summary>Checks the simulated fleet's settings at start: the attributes of <see cref="SimulationSettings"/>.</summary>
[OptionsValidator]
internal sealed partial class SimulationSettingsValidator : IValidateOptions<SimulationSettings>;
