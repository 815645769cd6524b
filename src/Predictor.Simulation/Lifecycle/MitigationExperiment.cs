using System.Globalization;
using Predictor.Daemon.Features;
using Predictor.Daemon.Retraining;
using Predictor.Simulation.Datasets;
using Predictor.Simulation.Randomness;

namespace Predictor.Simulation.Lifecycle;

/// <summary>One model of one label policy: how well it ranks the held-out fleet and what it did when deployed on the next fleet.</summary>
/// <param name="Generation">0 for the model trained before anything was mitigated.</param>
/// <param name="Policy">How the data it was trained on was labelled.</param>
/// <param name="HeldOutRocAuc">Per-row ROC AUC on the held-out fleet (true labels), null when undefined.</param>
/// <param name="TrainingPositives">Positive rows it was trained on.</param>
/// <param name="TrainingPositivesOfEvacuatedHosts">Of them, rows of hosts the previous model had evacuated (always 0 with naive labels).</param>
/// <param name="DeployedOnSeed">The fleet it was then deployed on.</param>
/// <param name="Failures">Failures in that fleet.</param>
/// <param name="FailuresWithoutWarning">Of them, with no precursor at all.</param>
/// <param name="FailuresCaught">Failures whose host it flagged before the failure.</param>
/// <param name="FalseEvacuations">Hosts it flagged that did not fail.</param>
/// <param name="HostDays">Host-days of that fleet.</param>
public sealed record GenerationResult(
    int Generation, LabelPolicy Policy, double? HeldOutRocAuc, int TrainingPositives, int TrainingPositivesOfEvacuatedHosts, int DeployedOnSeed,
    int Failures, int FailuresWithoutWarning, int FailuresCaught, int FalseEvacuations, double HostDays)
{
    public double FalseEvacuationsPer1000HostDays => FalseEvacuations / HostDays * 1000;
}

/// <summary>
/// Runs the retraining generations of <see cref="MitigationExperimentOptions"/> for both label policies from the same
/// first model. Each fleet is replayed once through the daemon's feature code (<see cref="HostFeatureComputer"/>); at
/// every decision each policy's current model assesses the hosts still in service, and a host at or above the threshold
/// is evacuated and leaves service (its later rows, and its failure, are never seen). The training rows of a generation
/// are that fleet's rows up to its evacuation, labelled by the policy.
/// </summary>
public static class MitigationExperiment
{
    private const ulong DiagnosisStream = 0x6469_6167;

    public static IReadOnlyList<GenerationResult> Run(MitigationExperimentOptions options, TimeProvider machine, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(options));
        }

        Directory.CreateDirectory(options.WorkDirectory);
        var horizon = TimeSpan.FromHours(options.Recipe.HorizonHours);
        var heldOut = Path.Combine(options.WorkDirectory, "held-out.csv");
        progress?.Invoke($"held-out fleet (seed {options.HeldOutSeed})");
        using (var writer = new StreamWriter(heldOut))
        {
            HostFeatureDataset.Write(Fleet(options, options.HeldOutSeed), options.RowEvery, horizon, writer);
        }

        // generation 0: the world before any prediction acted, labelled by what happened
        progress?.Invoke($"generation 0: fleet {options.FirstSeed}, nothing mitigated");
        var first = Replay(options, options.FirstSeed, []);
        var data0 = Path.Combine(options.WorkDirectory, "gen0.csv");
        var positives0 = WriteLabelled(first, null, LabelPolicy.Naive, options, data0);
        var model0 = Train(options, data0, heldOut, "gen0", machine, progress);
        var policies = new[] { LabelPolicy.Naive, LabelPolicy.RepairDiagnosis };
        var models = policies.ToDictionary(p => p, _ => model0);
        var positives = policies.ToDictionary(p => p, _ => positives0);
        var results = new List<GenerationResult>();
        for (var g = 1; g <= options.Generations + 1; g++)
        {
            var seed = options.FirstSeed + g;
            progress?.Invoke($"generation {g}: fleet {seed}, deploying generation {g - 1}'s models");
            var replay = Replay(options, seed, [.. policies.Select(p => models[p].ModelPath)]);
            for (var i = 0; i < policies.Length; i++)
            {
                var policy = policies[i];
                results.Add(Deployed(replay, i, g - 1, policy, models[policy].HeldOutRocAuc, positives[policy], seed, options));
                if (g > options.Generations)
                {
                    continue;
                }

                var name = string.Create(CultureInfo.InvariantCulture, $"gen{g}-{policy.ToString().ToLowerInvariant()}");
                var data = Path.Combine(options.WorkDirectory, name + ".csv");
                positives[policy] = WriteLabelled(replay, replay.Evacuated[i], policy, options, data);
                models[policy] = Train(options, data, heldOut, name, machine, progress);
            }
        }

        return results;
    }

    private static SimulatedFleet Fleet(MitigationExperimentOptions options, int seed) =>
        SimulatedFleet.Create(new SimulationOptions
        {
            Hosts = options.Hosts, Seed = seed, Duration = TimeSpan.FromDays(options.Days), FailuresPerHostYear = options.FailuresPerHostYear,
        });

    private static TrainedHostModel Train(MitigationExperimentOptions options, string data, string heldOut, string name, TimeProvider machine, Action<string>? progress)
    {
        var started = machine.GetTimestamp();
        var model = HostModelTraining.Train(data, heldOut, Path.Combine(options.WorkDirectory, name + ".json"), options.Recipe, machine);
        progress?.Invoke(string.Create(CultureInfo.InvariantCulture,
            $"  trained {name}: held-out ROC AUC {model.HeldOutRocAuc:0.000} ({machine.GetElapsedTime(started).TotalSeconds:0} s)"));
        return model;
    }

    private static FleetReplay Replay(MitigationExperimentOptions options, int seed, IReadOnlyList<string> models)
    {
        var fleet = Fleet(options, seed);
        var computed = HostFeatureComputer.WithDefaultDetectors().Names;
        var lastRow = fleet.Options.End - TimeSpan.FromHours(options.Recipe.HorizonHours);
        return FleetReplay.Run(fleet, [.. models.Select(m => HostModelTraining.Load(m, computed))], options.Threshold, options.DecisionEvery,
            t => (t - fleet.Options.Start).Ticks % options.RowEvery.Ticks == 0 && t <= lastRow);
    }

    /// <summary>What a chain's model did on the replayed fleet.</summary>
    private static GenerationResult Deployed(
        FleetReplay replay, int chain, int generation, LabelPolicy policy, double? auc, (int All, int OfEvacuated) positives, int seed, MitigationExperimentOptions options)
    {
        var (failures, withoutWarning, caught, falseEvacuations, _) = replay.Outcome(chain);
        return new GenerationResult(generation, policy, auc, positives.All, positives.OfEvacuated, seed, failures, withoutWarning, caught, falseEvacuations, options.Hosts * options.Days);
    }

    /// <summary>Writes the replay's rows as a training set labelled under <paramref name="policy"/>; returns the positive rows.</summary>
    private static (int All, int OfEvacuated) WriteLabelled(FleetReplay replay, IReadOnlyDictionary<string, DateTimeOffset>? evacuated, LabelPolicy policy, MitigationExperimentOptions options, string path)
    {
        var horizon = TimeSpan.FromHours(options.Recipe.HorizonHours);
        var failures = replay.Fleet.Failures.ToDictionary(f => f.Host, StringComparer.Ordinal);
        var seed = (ulong)(uint)replay.Fleet.Options.Seed;
        using var writer = new StreamWriter(path);
        writer.WriteLine("host,time," + string.Join(',', replay.Names) + ",label");
        var (positives, ofEvacuated) = (0, 0);
        foreach (var (host, at, values) in replay.Rows)
        {
            failures.TryGetValue(host, out var failure);
            int label;
            if (evacuated is not null && evacuated.TryGetValue(host, out var left) && (failure is null || left < failure.FailsAt))
            {
                if (at > left)
                {
                    continue; // out of service: in repair, its telemetry is not the fleet's
                }

                label = policy == LabelPolicy.RepairDiagnosis && Diagnosed(failure, left, host, seed, options) && left - at <= horizon ? 1 : 0;
                ofEvacuated += label;
            }
            else
            {
                label = failure is not null && failure.FailsAt - at <= horizon ? 1 : 0;
            }

            writer.Write(host);
            writer.Write(',');
            writer.Write(at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            foreach (var v in values)
            {
                writer.Write(',');
                if (!float.IsNaN(v))
                {
                    writer.Write(v.ToString("R", CultureInfo.InvariantCulture));
                }
            }

            writer.Write(',');
            writer.WriteLine(label);
            positives += label;
        }

        return (positives, ofEvacuated);
    }

    /// <summary>Whether the repair of a host evacuated at <paramref name="at"/> finds a failing part: a part was failing then (its precursor had begun), found with the diagnosis' sensitivity; or none was and the repair errs.</summary>
    private static bool Diagnosed(FailureLabel? failure, DateTimeOffset at, string host, ulong seed, MitigationExperimentOptions options)
    {
        var draw = SimHash.Unit(SimHash.Hash(seed, StableHash(host), 0, DiagnosisStream));
        var failing = failure?.PrecursorStart is { } precursor && precursor <= at;
        return draw < (failing ? options.DiagnosisSensitivity : options.FalseDiagnosisRate);
    }

    /// <summary>FNV-1a of the host id: the same on every run (string hash codes are randomised per process).</summary>
    private static ulong StableHash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var ch in text)
        {
            hash = (hash ^ ch) * 1099511628211UL;
        }

        return hash;
    }
}
