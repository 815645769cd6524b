using Predictor.Core.Risk;
using Predictor.Daemon.Features;

namespace Predictor.Simulation.Lifecycle;

/// <summary>
/// A simulated fleet replayed through the daemon's feature code (<see cref="HostFeatureComputer"/>, detectors with their
/// defaults) with assessors deciding as the daemon does: at every decision each assessor assesses the live hosts it
/// has not evacuated yet, and a host at or above the threshold is evacuated then and leaves its service (it is not
/// assessed again; its failure, if it comes, is prevented). Several assessors share one pass over the telemetry.
/// </summary>
public sealed class FleetReplay
{
    private FleetReplay(SimulatedFleet fleet, IReadOnlyList<string> names, List<ReplayRow> rows, IReadOnlyList<IReadOnlyDictionary<string, DateTimeOffset>> evacuated)
    {
        Fleet = fleet;
        Names = names;
        Rows = rows;
        Evacuated = evacuated;
    }

    public SimulatedFleet Fleet { get; }

    /// <summary>The feature names, in the order of <see cref="ReplayRow.Values"/>.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Every live host's features at the row times asked for.</summary>
    public IReadOnlyList<ReplayRow> Rows { get; }

    /// <summary>Per assessor, the hosts it evacuated and when.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, DateTimeOffset>> Evacuated { get; }

    /// <param name="fleet">The fleet; its telemetry is emitted from its start.</param>
    /// <param name="assessors">Each decides on its own (its evacuations do not change what the others see).</param>
    /// <param name="threshold">Probability at which a host is evacuated.</param>
    /// <param name="decisionEvery">Time between decisions, from the fleet's start.</param>
    /// <param name="rowAt">Whether to keep every live host's features at a decision time (for a training set); null keeps none.</param>
    public static FleetReplay Run(SimulatedFleet fleet, IReadOnlyList<IRiskAssessor> assessors, double threshold, TimeSpan decisionEvery, Func<DateTimeOffset, bool>? rowAt = null)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(assessors);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(decisionEvery, TimeSpan.Zero);
        var source = HostFeatureComputer.WithDefaultDetectors();
        var evacuated = assessors.Select(_ => new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal)).ToArray();
        var failsAt = fleet.Failures.ToDictionary(f => f.Host, f => f.FailsAt, StringComparer.Ordinal);
        var hosts = fleet.Inventory.Hosts.Select(h => h.Id).ToArray();
        var rows = new List<ReplayRow>();
        var previous = fleet.Options.Start - decisionEvery;
        for (var t = fleet.Options.Start; t <= fleet.Options.End; t += decisionEvery)
        {
            fleet.EmitTelemetry(previous, t, source.Sink);
            previous = t;
            var alive = new List<HostFeatures>(hosts.Length);
            foreach (var host in hosts)
            {
                if (!(failsAt.TryGetValue(host, out var fails) && fails <= t) && source.Compute(host, t) is { LastSeen: not null } features)
                {
                    alive.Add(features); // as the dataset: a host not heard from yet has no features
                }
            }

            for (var a = 0; a < assessors.Count; a++)
            {
                var mine = evacuated[a];
                foreach (var assessment in assessors[a].Assess([.. alive.Where(h => !mine.ContainsKey(h.Host))], t))
                {
                    if (assessment.Probability >= threshold)
                    {
                        mine[assessment.Host] = t;
                    }
                }
            }

            if (rowAt?.Invoke(t) == true)
            {
                foreach (var h in alive)
                {
                    rows.Add(new ReplayRow(h.Host, t, [.. source.Names.Select(n => (float)h.Get(n))]));
                }
            }
        }

        return new FleetReplay(fleet, source.Names, rows, evacuated);
    }

    /// <summary>What one assessor's evacuations came to: failures caught before they struck, and healthy hosts evacuated.</summary>
    public (int Failures, int WithoutWarning, int Caught, int FalseEvacuations, IReadOnlyList<TimeSpan> LeadTimes) Outcome(int assessor)
    {
        var evacuated = Evacuated[assessor];
        var failures = Fleet.Failures;
        var failed = failures.Select(f => f.Host).ToHashSet(StringComparer.Ordinal);
        var leads = failures.Where(f => evacuated.TryGetValue(f.Host, out var at) && at < f.FailsAt).Select(f => f.FailsAt - evacuated[f.Host]).Order().ToList();
        return (failures.Count, failures.Count(f => f.PrecursorStart is null), leads.Count, evacuated.Keys.Count(h => !failed.Contains(h)), leads);
    }
}

/// <summary>A live host's features at one time of a replay, in the order of <see cref="FleetReplay.Names"/>.</summary>
public sealed record ReplayRow(string Host, DateTimeOffset At, float[] Values);
