using Predictor.Daemon;
using Predictor.Daemon.Retraining;

namespace Predictor.Simulation.Lifecycle;

/// <summary>How hosts evacuated on a prediction are labelled when the next model is trained.</summary>
public enum LabelPolicy
{
    /// <summary>
    /// What was observed: an evacuated host did not fail (it was taken out of service before it could), so its rows are
    /// negatives, however close to failure it was. The model is then trained against its own successes (Uptake, 2024).
    /// </summary>
    Naive,

    /// <summary>
    /// The repair's diagnosis: an evacuated host goes to repair, where the technician either finds the failing part (its
    /// rows within the horizon before the evacuation are positives) or finds no fault (negatives). Diagnosis errs both
    /// ways (<see cref="MitigationExperimentOptions.DiagnosisSensitivity"/>, <see cref="MitigationExperimentOptions.FalseDiagnosisRate"/>).
    /// </summary>
    RepairDiagnosis,
}

/// <summary>
/// A retraining experiment with mitigation on: a model is deployed on a simulated fleet, the hosts it flags are evacuated
/// and leave service (their failures, if any, never happen in service), the next model is trained on that fleet's log
/// under a <see cref="LabelPolicy"/>, and so on for <see cref="Generations"/> generations.
/// </summary>
public sealed record MitigationExperimentOptions
{
    /// <summary>Retraining generations after the first model.</summary>
    /// <value>The default value is 5.</value>
    public int Generations { get; init; } = 5;

    /// <summary>Hosts of each generation's fleet.</summary>
    /// <value>The default value is 600.</value>
    public int Hosts { get; init; } = 600;

    /// <summary>Simulated days of each generation's fleet.</summary>
    /// <value>The default value is 4.</value>
    public double Days { get; init; } = 4;

    /// <summary>
    /// Seed of the first fleet, the one the first model is trained on before anything is mitigated; generation g runs on
    /// the fleet of seed <c>FirstSeed + g</c>, and the last model is deployed once more on <c>FirstSeed + Generations + 1</c>.
    /// </summary>
    /// <value>The default value is 4001.</value>
    public int FirstSeed { get; init; } = 4001;

    /// <summary>Seed of the held-out fleet every model's ROC AUC is measured on (its true labels: nothing mitigated there).</summary>
    /// <value>The default value is 4000.</value>
    public int HeldOutSeed { get; init; } = 4000;

    /// <summary>Injected failures per host-year of every fleet (the simulator's default unless set).</summary>
    /// <value>The default value is the simulator's, 15.</value>
    public double FailuresPerHostYear { get; init; } = new SimulationOptions().FailuresPerHostYear;

    /// <summary>A host is evacuated at the first decision at which the model's probability reaches this.</summary>
    /// <value>The default value is the daemon's <c>Risk:ModelRiskThreshold</c>.</value>
    public double Threshold { get; init; } = new RiskOptions().ModelRiskThreshold;

    /// <summary>Time between decisions (the daemon's passes are 5 minutes apart; a coarser grid is cheaper).</summary>
    /// <value>The default value is 15 minutes.</value>
    public TimeSpan DecisionEvery { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Time between a host's rows in the training sets.</summary>
    /// <value>The default value is 30 minutes.</value>
    public TimeSpan RowEvery { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Share of evacuated hosts with a failing part in which the repair finds it.</summary>
    /// <value>The default value is 0.9.</value>
    public double DiagnosisSensitivity { get; init; } = 0.9;

    /// <summary>Share of evacuated healthy hosts the repair wrongly finds a failing part in.</summary>
    /// <value>The default value is 0.02.</value>
    public double FalseDiagnosisRate { get; init; } = 0.02;

    /// <summary>How each model is trained.</summary>
    public HostModelRecipe Recipe { get; init; } = new();

    /// <summary>Where the data sets and models go.</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>Every problem with the options, each naming the option; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Generations is < 1 or > 50)
        {
            errors.Add($"--generations must be between 1 and 50, got {Generations}");
        }

        if (Hosts is < 5 or > 100_000)
        {
            errors.Add($"--hosts must be between 5 and 100000, got {Hosts}");
        }

        if (!(FailuresPerHostYear is > 0 and <= 10_000))
        {
            errors.Add($"--failures-per-host-year must be above 0 and at most 10000, got {FailuresPerHostYear}");
        }

        if (!(Days * 24 > Recipe.HorizonHours) || Days > 365)
        {
            errors.Add($"--days must be longer than the horizon ({Recipe.HorizonHours} h) and at most 365, got {Days}");
        }

        if (!(Threshold is > 0 and <= 1))
        {
            errors.Add($"--threshold must be above 0 and at most 1, got {Threshold}");
        }

        if (!(DiagnosisSensitivity is >= 0 and <= 1) || !(FalseDiagnosisRate is >= 0 and <= 1))
        {
            errors.Add($"diagnosis rates must be between 0 and 1, got sensitivity {DiagnosisSensitivity} and false-diagnosis rate {FalseDiagnosisRate}");
        }

        if (DecisionEvery <= TimeSpan.Zero || RowEvery <= TimeSpan.Zero)
        {
            errors.Add("the decision and row intervals must be positive");
        }

        if (HeldOutSeed >= FirstSeed && HeldOutSeed <= FirstSeed + Generations + 1)
        {
            errors.Add($"--held-out-seed {HeldOutSeed} is one of the generations' fleets ({FirstSeed}..{FirstSeed + Generations + 1})");
        }

        return errors;
    }
}
