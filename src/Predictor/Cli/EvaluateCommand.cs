using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Predictor.Daemon.Composition;
using Predictor.Simulation;
using Predictor.Simulation.Evaluation;
using Predictor.Simulation.Scenarios;

namespace Predictor.Cli;

/// <summary><c>predictor evaluate</c>: every assessor on every seed's simulated fleet, and a report of what each achieved.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var seeds = new Option<string>("--seeds") { Description = "Simulator seeds A..B (both included), one fleet each; use seeds no model was trained or tuned on.", Required = true };
        var days = new Option<double>("--days") { Description = "Simulated days per run.", DefaultValueFactory = _ => 2 };
        var hosts = new Option<int>("--hosts") { Description = "Hosts per simulated fleet.", DefaultValueFactory = _ => 200 };
        var assessors = new Option<string>("--assessors") { Description = "Assessors to compare: none, rules, model (comma-separated).", DefaultValueFactory = _ => "none,rules,model" };
        var output = new Option<string>("--out") { Description = "Directory for evaluation.md, evaluation.json and evaluation.svg.", Required = true };
        var config = new Option<string?>("--config") { Description = "JSON configuration file every run reads (as predictor run --config)." };
        var command = new Command("evaluate",
            "Run the daemon on simulated fleets, one scenario per seed and assessor, and report per assessor the VM interruptions " +
            "avoided, false evacuations per 1,000 host-days, lead times, migrations and blackout, with their spread across seeds " +
            "(Markdown on standard output and in --out, with JSON and an SVG plot). Extra --Section:Key=value arguments apply to every run.")
        {
            seeds, days, hosts, assessors, output, config,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            var range = SeedRange.Parse(parse.GetValue(seeds), out var seedError);
            if (range is null)
            {
                errors.Add("--seeds " + seedError);
            }

            var chosen = EvaluatedAssessor.ParseList(parse.GetValue(assessors), out var assessorError);
            if (chosen is null)
            {
                errors.Add("--assessors: " + assessorError);
            }

            var overrides = parse.UnmatchedTokens.ToList();
            errors.AddRange(overrides.Where(o => !o.StartsWith("--", StringComparison.Ordinal) || !o.Contains(':', StringComparison.Ordinal))
                .Select(o => $"'{o}' is neither an option of evaluate nor a configuration override (--Section:Key=value)"));
            var plan = new EvaluationPlan(range ?? new SeedRange(1, 1), parse.GetValue(days), parse.GetValue(hosts), chosen ?? EvaluatedAssessor.Known, overrides);
            errors.AddRange(plan.Validate());
            if (errors.Count > 0)
            {
                foreach (var e in errors.Distinct())
                {
                    await Console.Error.WriteLineAsync("predictor evaluate: " + e).ConfigureAwait(false);
                }

                return 2;
            }

            var configFile = parse.GetValue(config);
            EvaluationReport report;
            try
            {
                report = await FleetEvaluation.RunAsync(plan, (request, token) => RunScenarioAsync(request, configFile, token), TimeProvider.System,
                    line => Console.Error.WriteLine(line), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (ConfigurationErrors.Of(e) is { Count: > 0 } invalid)
            {
                await Console.Error.WriteLineAsync($"predictor evaluate: the configuration is invalid ({invalid.Count} error{(invalid.Count == 1 ? "" : "s")}):").ConfigureAwait(false);
                foreach (var error in invalid)
                {
                    await Console.Error.WriteLineAsync("  " + error).ConfigureAwait(false);
                }

                return 2;
            }

            var directory = parse.GetValue(output)!;
            Directory.CreateDirectory(directory);
            var line = "predictor evaluate " + string.Join(' ', parse.Tokens.Where(t => t.Type != System.CommandLine.Parsing.TokenType.Command).Select(t => t.Value)); // the verb is a token too
            await using (var md = new StreamWriter(Path.Combine(directory, "evaluation.md")))
            {
                EvaluationMarkdown.Write(report, line, md);
            }

            await using (var json = new StreamWriter(Path.Combine(directory, "evaluation.json")))
            {
                EvaluationJson.Write(report, line, json);
            }

            await using (var svg = new StreamWriter(Path.Combine(directory, "evaluation.svg")))
            {
                EvaluationSvg.Write(report, svg);
            }

            EvaluationMarkdown.Write(report, line, Console.Out);
            return 0;
        });
        return command;
    }

    /// <summary>One <c>predictor run --for</c> scenario in process, uncapped, quiet (no log lines, no console alerts).</summary>
    private static async Task<RunSummary> RunScenarioAsync(ScenarioRequest request, string? configFile, CancellationToken cancellationToken)
    {
        string[] quiet = ["--Logging:LogLevel:Default=None", "--Notifications:Console:Enabled=false"];
        await using var app = DaemonComposition.Build(new RunSettings(request.Span, 1e12, configFile, [.. quiet, .. request.Overrides], false));
        var invalid = DaemonComposition.ValidateConfiguration(app.Services);
        if (invalid.Count > 0)
        {
            throw new OptionsValidationException("configuration", typeof(object), invalid);
        }

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        if (app.Services.GetService<Daemon.StartupFailure>()?.Reason is { } failed)
        {
            throw new InvalidOperationException(failed);
        }

        return RunSummary.Of(app.Services) ?? throw new InvalidOperationException("the scenario left no summary");
    }
}
