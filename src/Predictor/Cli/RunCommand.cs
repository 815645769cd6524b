using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Predictor.Daemon;
using Predictor.Daemon.Composition;
using Predictor.Simulation.Scenarios;

namespace Predictor.Cli;

/// <summary><c>predictor run</c>: the daemon, or with <c>--for</c> an accelerated scenario that ends with a summary.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var forOption = new Option<string?>("--for")
        {
            Description = "Run a scenario for this much simulated time (e.g. 2d, 12h) in accelerated time, then exit with a summary.",
        };
        var speedOption = new Option<double?>("--speed")
        {
            Description = "Simulated seconds per real second. Default: 1 for the daemon, 3600 with --for.",
        };
        var configOption = new Option<string?>("--config") { Description = "JSON configuration file read after appsettings.json (see README, Configuration)." };
        var verboseOption = new Option<bool>("--verbose") { Description = "Log every decision; by default a scenario run logs warnings and errors only." };
        var command = new Command("run",
            "Run the daemon: ingest telemetry, assess hosts, evacuate those at risk, walk the maintenance ladder, alert. " +
            "With no configuration it runs the embedded default (a simulated datacenter of 200 hosts). " +
            "Configuration keys can be set as extra arguments, e.g. --Pipeline:RiskThreshold=0.6.")
        {
            forOption, speedOption, configOption, verboseOption,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, cancellationToken) =>
        {
            TimeSpan? duration = null;
            if (parse.GetValue(forOption) is { } text)
            {
                if (!DurationParser.TryParse(text, out var d) || d <= TimeSpan.Zero)
                {
                    await Console.Error.WriteLineAsync($"predictor run: --for '{text}' is not a positive duration (expected e.g. 90m, 12h, 2d).").ConfigureAwait(false);
                    return 2;
                }

                duration = d;
            }

            var speed = parse.GetValue(speedOption) ?? (duration is null ? 1 : 3600);
            if (!(speed > 0) || double.IsInfinity(speed))
            {
                await Console.Error.WriteLineAsync($"predictor run: --speed must be a positive number, got {speed}.").ConfigureAwait(false);
                return 2;
            }

            var settings = new RunSettings(duration, speed, parse.GetValue(configOption), parse.UnmatchedTokens, parse.GetValue(verboseOption));
            return await RunAsync(settings, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(RunSettings settings, CancellationToken cancellationToken)
    {
        var bar = new ScenarioProgressBar(settings.For is not null);
        Microsoft.AspNetCore.Builder.WebApplication host;
        try
        {
            host = DaemonComposition.Build(settings, bar);
            var invalid = DaemonComposition.ValidateConfiguration(host.Services);
            if (invalid.Count > 0)
            {
                throw new OptionsValidationException("configuration", typeof(object), invalid);
            }

            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (ConfigurationErrors.Of(e) is { Count: > 0 } errors)
        {
            await Console.Error.WriteAsync(ConfigurationErrors.Report("run", errors)).ConfigureAwait(false);
            return 2;
        }

        using (host)
        {
            await host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            bar.Complete();
            if (host.Services.GetService<StartupFailure>()?.Reason is { } failed)
            {
                await Console.Error.WriteLineAsync("predictor run: " + failed).ConfigureAwait(false);
                return 1;
            }

            // only a scenario has labelled failures to score the run against
            RunSummary.Of(host.Services)?.Render(Console.Out);
        }

        return 0;
    }
}
