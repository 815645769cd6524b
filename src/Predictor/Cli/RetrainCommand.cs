using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Predictor.Core.Outcomes;
using Predictor.Daemon.Retraining;
using Predictor.Learning;
using Predictor.Learning.Lifecycle;
using Predictor.Telemetry.Influx;

namespace Predictor.Cli;

/// <summary><c>predictor retrain</c>: one retraining run (see <see cref="RetrainJob"/>), for a systemd timer or a Kubernetes CronJob.</summary>
internal static class RetrainCommand
{
    public static Command Create()
    {
        var registry = new Option<string?>("--registry") { Description = "The model registry directory (default: the configuration's Risk:RegistryPath)." };
        var champion = new Option<string?>("--champion") { Description = "The champion while the registry has none promoted (default: the configuration's Risk:ModelPath)." };
        var horizon = new Option<string?>("--horizon") { Description = "A row is positive when its host fails within this (default: the champion's horizon, else 48h)." };
        var testSpan = new Option<string>("--test-span") { Description = "The most recent span, never trained on, on which the models are compared.", DefaultValueFactory = _ => "7d" };
        var budget = new Option<double>("--budget") { Description = "The operating point: false evacuations allowed per 1,000 host-days.", DefaultValueFactory = _ => new PromotionRules().BudgetPer1000HostDays };
        var calibration = new Option<double>("--max-calibration-error") { Description = "A challenger whose expected calibration error on the slice is above this is refused.", DefaultValueFactory = _ => new PromotionRules().MaxCalibrationError };
        var seed = new Option<int>("--seed") { Description = "Training seed (recorded in the lineage).", DefaultValueFactory = _ => 1 };
        var threads = new Option<int?>("--threads") { Description = "Threads (default: processor count)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Train and compare, print the decision, write nothing to the registry." };
        var keptCode = new Option<int>("--kept-exit-code") { Description = "Exit code when the champion stays (3; a Kubernetes Job that must not count it as failed: 0).", DefaultValueFactory = _ => RetrainExitCodes.KeptChampion };
        var command = new Command("retrain",
            "Build a dataset from the outcome log (default) or InfluxDB, train a challenger, compare it with the champion on the most recent " +
            "slice at the false-evacuation budget, and promote it in the registry only if it is better and sane. " +
            "Exit codes: 0 promoted, 3 the champion stays, 2 bad input, 1 failure.")
        {
            registry, champion, horizon, testSpan, budget, calibration, seed, threads, dryRun, keptCode,
        };
        var data = new DataSourceArguments();
        data.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            using var http = new HttpClient();
            var (source, configuration) = data.Build(parse, logByDefault: true, http, errors);
            TimeSpan? Duration(Option<string?> option) =>
                parse.GetValue(option) is not { } text ? null : DurationParser.TryParse(text, out var d) && d > TimeSpan.Zero ? d : Bad<TimeSpan?>($"{option.Name} '{text}' is not a positive duration");
            T Bad<T>(string error)
            {
                errors.Add(error);
                return default!;
            }

            var span = DurationParser.TryParse(parse.GetValue(testSpan), out var t) && t > TimeSpan.Zero ? t : Bad<TimeSpan>($"--test-span '{parse.GetValue(testSpan)}' is not a positive duration");
            var request = new RetrainRequest
            {
                RegistryPath = parse.GetValue(registry) ?? LifecycleConfiguration.RegistryPath(configuration) ?? Bad<string>("--registry is required (or Risk:RegistryPath in --config)"),
                Data = source,
                Champion = parse.GetValue(champion) ?? LifecycleConfiguration.ModelPath(configuration),
                Horizon = Duration(horizon),
                TestSpan = span,
                Rules = new PromotionRules(
                    parse.GetValue(budget) is var b && b >= 0 && double.IsFinite(b) ? b : Bad<double>($"--budget must be 0 or more (got {parse.GetValue(budget).ToString(CultureInfo.InvariantCulture)})"),
                    parse.GetValue(calibration) is var c && c is > 0 and <= 1 ? c : Bad<double>($"--max-calibration-error must be in (0, 1] (got {parse.GetValue(calibration).ToString(CultureInfo.InvariantCulture)})")),
                Seed = parse.GetValue(seed),
                Threads = parse.GetValue(threads) is { } n && n < 1 ? Bad<int?>($"--threads must be at least 1 (got {n})") : parse.GetValue(threads),
                DryRun = parse.GetValue(dryRun),
            };
            if (errors.Count > 0)
            {
                return DataSourceArguments.Refuse("retrain", errors);
            }

            try
            {
                var result = await new RetrainJob(TimeProvider.System, NullLogger.Instance)
                    .RunAsync(request, m => Console.Error.WriteLine("retrain: " + m), cancellationToken).ConfigureAwait(false);
                foreach (var line in result.Summary)
                {
                    await Console.Out.WriteLineAsync(line).ConfigureAwait(false);
                }

                return result.ExitCode == RetrainExitCodes.KeptChampion ? parse.GetValue(keptCode) : result.ExitCode;
            }
            catch (Exception e) when (e is LearningInputException or OutcomeCsvException or ArgumentException)
            {
                return DataSourceArguments.Refuse("retrain", [e.Message]);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InfluxException or HttpRequestException or InvalidOperationException)
            {
                await Console.Error.WriteLineAsync($"predictor retrain: {e.Message}").ConfigureAwait(false);
                return RetrainExitCodes.Failure;
            }
        });
        return command;
    }
}
