using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Predictor.Daemon.Datasets;
using Predictor.Learning;
using Predictor.Learning.Assessment;
using Predictor.Learning.Lifecycle;
using Predictor.Learning.Workflows;

namespace Predictor.Daemon.Retraining;

/// <summary>The exit codes of <c>predictor retrain</c>.</summary>
public static class RetrainExitCodes
{
    /// <summary>The challenger was promoted (with <c>--dry-run</c>: would be).</summary>
    public const int Promoted = 0;

    /// <summary>Something failed (I/O, InfluxDB unreachable, the registry locked by another run).</summary>
    public const int Failure = 1;

    /// <summary>Bad input: an option, the outcomes CSV, data with nothing to learn from.</summary>
    public const int BadInput = 2;

    /// <summary>The champion stays: the challenger was not better, failed a sanity check, or the slice held no evidence.</summary>
    public const int KeptChampion = 3;
}

/// <summary>What <c>predictor retrain</c> is asked to do.</summary>
public sealed record RetrainRequest
{
    /// <summary>The model registry directory (created when missing).</summary>
    public required string RegistryPath { get; init; }

    /// <summary>Where the rows come from.</summary>
    public required DatasetSource Data { get; init; }

    /// <summary>The champion when the registry has no promoted version yet (e.g. the daemon's <c>Risk:ModelPath</c>); null: none.</summary>
    public string? Champion { get; init; }

    /// <summary>What a positive means; null: the champion's horizon, else 48 hours.</summary>
    public TimeSpan? Horizon { get; init; }

    /// <summary>
    /// The span, never trained on, on which champion and challenger are compared: the newest rows whose outcome is known,
    /// i.e. ending one horizon before the newest record.
    /// </summary>
    public TimeSpan TestSpan { get; init; } = TimeSpan.FromDays(7);

    public PromotionRules Rules { get; init; } = new();

    public int Seed { get; init; } = 1;

    public int? Threads { get; init; }

    /// <summary>Train and compare, but write nothing to the registry.</summary>
    public bool DryRun { get; init; }
}

/// <summary>What a run ended with.</summary>
/// <param name="ExitCode">See <see cref="RetrainExitCodes"/>.</param>
/// <param name="Version">The challenger's registry version; null for a dry run or when nothing was trained.</param>
/// <param name="Lineage">The challenger's lineage and the decision; null when nothing was trained.</param>
/// <param name="Summary">Lines for the console.</param>
public sealed record RetrainResult(int ExitCode, string? Version, Lineage? Lineage, IReadOnlyList<string> Summary);

/// <summary>
/// One retraining run: builds the dataset from the outcome log or replayed telemetry, splits it by time (the newest
/// <see cref="RetrainRequest.TestSpan"/> of fully observed rows is the test slice; training rows end one horizon before
/// it), trains a
/// challenger with the champion's recipe (<see cref="TrainWorkflow"/>), scores champion and challenger on the slice at
/// the false-evacuation budget, and promotes the challenger only when it is better there and sane: a model the daemon
/// can serve (its features are host features), no NaN scores, calibration error within the bound. Every challenger
/// becomes a registry version with <c>lineage.json</c> and <c>card.md</c>; <c>promoted</c> moves only on promotion.
/// </summary>
public sealed class RetrainJob(TimeProvider time, ILogger logger)
{
    /// <exception cref="LearningInputException">Bad input: no rows to learn from, a champion file that cannot be read.</exception>
    /// <exception cref="ArgumentException">Bad options (named).</exception>
    public async Task<RetrainResult> RunAsync(RetrainRequest request, Action<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var registry = new ModelRegistry(request.RegistryPath);
        using var registryLock = request.DryRun ? null : registry.Lock();
        var promoted = registry.Promoted();
        var championPath = promoted?.ModelPath ?? request.Champion;
        var champion = championPath is null ? null : ModelSummary.Read(championPath);
        var parent = promoted?.Id ?? (champion is null ? null : champion.Path);
        var horizon = request.Horizon ?? (champion is { } c ? TimeSpan.FromHours(c.HorizonHours) : TimeSpan.FromHours(48));
        var end = request.Data.End() ?? throw new LearningInputException($"{request.Data.Description}: no features recorded yet; nothing to train on");
        // rows of the last horizon are not fully observed (censored): the slice is the newest span of rows that are
        var testFrom = end - horizon - request.TestSpan;

        var work = request.DryRun ? Directory.CreateTempSubdirectory("predictor-retrain-").FullName : registry.Stage();
        try
        {
            var (trainCsv, testCsv) = (Path.Combine(work, "train.csv"), Path.Combine(work, "test.csv"));
            progress?.Invoke($"building the dataset from {request.Data.Description} (horizon {horizon.TotalHours:0.#} h, test slice after {testFrom:u})");
            DatasetCounts counts;
            await using (var train = new StreamWriter(trainCsv))
            await using (var test = new StreamWriter(testCsv))
            {
                counts = await request.Data.WriteAsync(horizon, train, test, testFrom, cancellationToken).ConfigureAwait(false);
            }

            var interval = counts.RowInterval ?? request.Data.Every;
            progress?.Invoke(string.Create(CultureInfo.InvariantCulture,
                $"rows: {counts.TrainRows} training ({counts.TrainPositives} positive), {counts.TestRows} test ({counts.TestPositives} positive); left out {counts.Censored} censored, {counts.OutOfService} out of service, {counts.Gap} in the gap"));
            if (counts.TestPositives == 0 || counts.TestPositives == counts.TestRows)
            {
                var reason = $"the test slice after {testFrom:u} has {counts.TestRows} rows, {counts.TestPositives} positive: no evidence to compare models on; the champion stays";
                if (!request.DryRun)
                {
                    registry.AppendHistory(Entry(null, "no-evidence", [reason]));
                }

                return new RetrainResult(RetrainExitCodes.KeptChampion, null, null, [reason]);
            }

            if (counts.TrainPositives == 0 || counts.TrainPositives == counts.TrainRows)
            {
                throw new LearningInputException(
                    $"{request.Data.Description}: the training rows (before {testFrom - horizon:u}) are {counts.TrainRows}, {counts.TrainPositives} of them positive; " +
                    "a challenger needs failures and healthy hosts to learn from: wait for more history, or shorten --test-span");
            }

            var options = champion?.Options ?? new JsonObject();
            var modelPath = Path.Combine(work, ModelRegistry.ModelFile);
            progress?.Invoke("training the challenger");
            _ = TrainWorkflow.Run(TrainRequestFrom(options, trainCsv, testCsv, modelPath, horizon, request), time, progress);
            progress?.Invoke("scoring champion and challenger on the test slice");
            var challenger = SliceEvaluation.Evaluate(modelPath, testCsv, interval, request.Rules.BudgetPer1000HostDays, request.Threads ?? 0);
            SliceEvaluation? championOnSlice = null;
            string? championProblem = null;
            if (champion is not null)
            {
                try
                {
                    championOnSlice = SliceEvaluation.Evaluate(champion.Path, testCsv, interval, request.Rules.BudgetPer1000HostDays, request.Threads ?? 0);
                }
                catch (LearningInputException e)
                {
                    championProblem = e.Message;
                }
            }

            var problems = new List<string>();
            try
            {
                _ = ModelRiskAssessor.Load(modelPath); // what the daemon checks before it serves a model
            }
            catch (LearningInputException e)
            {
                problems.Add("the daemon could not serve the challenger: " + e.Message);
            }

            if (champion is not null && Math.Abs(champion.HorizonHours - horizon.TotalHours) > 1e-9)
            {
                problems.Add($"the challenger's horizon ({horizon.TotalHours:0.#} h) differs from the champion's ({champion.HorizonHours:0.#} h): their probabilities do not mean the same");
            }

            var decision = PromotionDecision.Decide(challenger, championOnSlice, championProblem, request.Rules, problems);
            var version = request.DryRun ? null : registry.NextId();
            var lineage = new Lineage(
                version, parent, time.GetUtcNow(),
                new DatasetSpan(request.Data.Description, counts.From ?? testFrom, counts.To ?? end, testFrom, horizon.TotalHours, interval.TotalHours,
                    counts.TrainRows, counts.TrainPositives, counts.TestRows, counts.TestPositives, counts.Censored, counts.OutOfService, counts.Gap),
                request.Seed, ModelSummary.Read(modelPath).Features, TrainOptions(modelPath), challenger, championOnSlice, championProblem, request.Rules, decision);
            var summary = new List<string>
            {
                $"challenger: {lineage.Features.Count} features, {counts.TrainRows} training rows ({counts.TrainPositives} positive) before {testFrom - horizon:u}; " +
                $"test slice: {counts.TestRows} rows ({counts.TestPositives} positive) after {testFrom:u}",
            };
            var outcome = decision.Promote ? (request.DryRun ? "would be promoted" : "promoted") : "not promoted; the champion stays";
            summary.Add($"challenger {version ?? "(dry run)"}: {outcome}");
            summary.AddRange(decision.Reasons.Select(r => "  " + r));
            Log.RetrainDecided(logger, version ?? "(dry run)", outcome, string.Join("; ", decision.Reasons));
            if (!request.DryRun)
            {
                File.Delete(trainCsv);
                File.Delete(testCsv);
                await File.WriteAllTextAsync(Path.Combine(work, ModelRegistry.LineageFile), lineage.ToJson(), cancellationToken).ConfigureAwait(false);
                await File.WriteAllTextAsync(Path.Combine(work, ModelRegistry.CardFile), lineage.ToMarkdown(), cancellationToken).ConfigureAwait(false);
                var committed = registry.Commit(work, version!);
                if (decision.Promote)
                {
                    registry.Promote(committed.Id);
                }

                registry.AppendHistory(Entry(version, decision.Promote ? "promoted" : "kept-champion", decision.Reasons));
                summary.Add($"registry: {committed.Directory}{(decision.Promote ? $"; {registry.PromotedPath} → {committed.Id}" : "")}");
            }

            return new RetrainResult(decision.Promote ? RetrainExitCodes.Promoted : RetrainExitCodes.KeptChampion, version, lineage, summary);
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }

        JsonObject Entry(string? version, string decision, IEnumerable<string> reasons) => new()
        {
            ["at"] = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["version"] = version,
            ["decision"] = decision,
            ["reasons"] = new JsonArray([.. reasons.Select(r => (JsonNode?)r)]),
            ["data"] = request.Data.Description,
        };
    }

    /// <summary>The champion's recipe (learner, trees, leaves, rates, calibration) with this run's seed and threads; TrainWorkflow's defaults where the champion says nothing.</summary>
    private static TrainRequest TrainRequestFrom(JsonObject o, string train, string test, string output, TimeSpan horizon, RetrainRequest request)
    {
        int? Int(string key) => o[key] is JsonValue v && v.TryGetValue<double>(out var d) ? (int)d : null;
        double? Real(string key) => o[key] is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;
        string? Text(string key) => o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        return new TrainRequest
        {
            DataPath = train,
            TestPath = test,
            OutPath = output,
            Label = "label",
            Group = "host",
            Time = "time",
            Learner = Text("learner") ?? "gbdt",
            Calibration = Text("calibration") ?? "platt",
            Trees = Int("trees"),
            Leaves = Int("leaves"),
            MaxDepth = Int("maxDepth"),
            MinExamplesPerLeaf = Int("minExamplesPerLeaf"),
            LearningRate = Real("learningRate"),
            MaxBins = Int("maxBins"),
            L2 = Real("l2"),
            L1 = Real("l1"),
            Subsample = Real("subsample"),
            FeatureFraction = Real("featureFraction"),
            PositiveWeight = Real("positiveWeight"),
            EarlyStopping = Int("earlyStopping") ?? 0,
            Seed = request.Seed,
            Threads = request.Threads,
            HorizonHours = horizon.TotalHours,
            PermutationImportance = false,
        };
    }

    private static JsonObject TrainOptions(string modelPath) => ModelSummary.Read(modelPath).Options;
}
