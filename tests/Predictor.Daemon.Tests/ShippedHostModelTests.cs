using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Predictor.Daemon.Features;
using Predictor.Learning.Rules;
using Predictor.Simulation;
using Predictor.Simulation.Lifecycle;
using Predictor.Testing;

namespace Predictor.Daemon.Tests;

/// <summary>
/// The shipped host model on a simulated fleet that none of its training (seeds 3001–3002), threshold choice (3101–3102)
/// or README evaluation (9001–9005, 9101–9102) used — seed 5001 — replayed through the daemon's feature code and decided at
/// the daemon's default threshold: every host it flags and every failure it misses is a row it never saw.
/// </summary>
public sealed class ShippedHostModelTests
{
    private const int UnseenSeed = 5001;

    [Fact]
    public void ShippedModel_TrainedOnOtherSeeds_WithTheDaemonsFeatureCatalogue()
    {
        var model = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "models", "host-failure.json")))!;
        var source = model["training"]!["source"]!.GetValue<string>();
        var features = model["features"]!.AsArray().Select(f => f!.GetValue<string>()).ToArray();

        Assert.Equal("host-failure-seeds-3001-3002.csv", source); // the card's reproduce command writes it
        Assert.DoesNotContain(UnseenSeed.ToString(System.Globalization.CultureInfo.InvariantCulture), source, StringComparison.Ordinal);
        Assert.Subset(HostFeatureComputer.WithDefaultDetectors().Names.ToHashSet(StringComparer.Ordinal), features.ToHashSet(StringComparer.Ordinal));
        Assert.Contains(features, f => !Core.Risk.FeatureNames.All.Contains(f)); // it uses the detectors' and temporal features
    }

    [Fact]
    public void ShippedModel_UnseenFleet_CatchesMostFailuresThatWarnAndEvacuatesFewHealthyHosts()
    {
        var options = new RiskOptions();
        var fleet = SimulatedFleet.Create(new SimulationOptions { Hosts = 100, Seed = UnseenSeed, Duration = TimeSpan.FromDays(2) });
        var choice = RiskAssessorFactory.Create(options, new RuleAssessorOptions(), new ManualTimeProvider(), NullLogger.Instance, HostFeatureComputer.WithDefaultDetectors().Names);
        Assert.Null(choice.LoadFailure);

        var replay = FleetReplay.Run(fleet, [choice.Assessor], options.ModelRiskThreshold, TimeSpan.FromMinutes(15));
        var (failures, withoutWarning, caught, falseEvacuations, leads) = replay.Outcome(0);

        var warned = failures - withoutWarning;
        Assert.True(warned >= 4, $"the fleet should have failures with a warning to catch: {failures} failures, {withoutWarning} without warning");
        Assert.True(caught >= 0.6 * warned, $"caught {caught} of the {warned} failures that warn");
        Assert.True(falseEvacuations <= 2, $"{falseEvacuations} healthy hosts evacuated in 200 host-days");
        Assert.All(leads, l => Assert.True(l > TimeSpan.Zero));
    }
}
