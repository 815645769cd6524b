using System.CommandLine;
using Predictor.Simulation;
using Predictor.Simulation.Workflows;

namespace Predictor.Cli;

/// <summary><c>predictor simulate</c>: writes a synthetic datacenter's inventory, telemetry, failure labels and updates.</summary>
internal static class SimulateCommand
{
    private static readonly SimulationOptions s_defaults = new();

    public static Command Create()
    {
        var hosts = new Option<int>("--hosts") { Description = "Number of hosts", DefaultValueFactory = _ => s_defaults.Hosts };
        var vmsPerHost = new Option<double>("--vms-per-host") { Description = "Mean VMs per host (packed under capacity; bigger hosts get more)", DefaultValueFactory = _ => s_defaults.VmsPerHost };
        var days = new Option<double>("--days") { Description = "Simulated days of telemetry; 0 writes the inventory only", DefaultValueFactory = _ => s_defaults.Duration.TotalDays };
        var seed = new Option<int>("--seed") { Description = "Seed: the same seed gives the same files", DefaultValueFactory = _ => s_defaults.Seed };
        var output = new Option<string>("--out") { Description = "Directory to write inventory.json, telemetry.lp, labels.csv and updates.csv to", Required = true };
        var interval = new Option<string>("--interval") { Description = "Telemetry interval, e.g. 30s, 5m, 1h", DefaultValueFactory = _ => "5m" };
        var failureRate = new Option<double>("--failures-per-host-year") { Description = "Injected host failures per host-year (deliberately elevated by default)", DefaultValueFactory = _ => s_defaults.FailuresPerHostYear };
        var noWarning = new Option<double>("--no-warning-share") { Description = "Share of failures with no precursor", DefaultValueFactory = _ => s_defaults.NoWarningShare };
        var datacenter = new Option<string>("--datacenter") { Description = "Datacenter name in inventory.json", DefaultValueFactory = _ => s_defaults.Datacenter };

        var command = new Command("simulate", "Write a simulated datacenter: inventory.json, telemetry.lp (Influx line protocol), labels.csv (injected failures) and updates.csv.")
        {
            hosts, vmsPerHost, days, seed, output, interval, failureRate, noWarning, datacenter,
        };

        command.SetAction((parseResult, cancellationToken) =>
        {
            var errors = new List<string>();
            var options = SimulateWorkflow.Options(
                new SimulationOptions
                {
                    Hosts = parseResult.GetValue(hosts),
                    VmsPerHost = parseResult.GetValue(vmsPerHost),
                    Seed = parseResult.GetValue(seed),
                    FailuresPerHostYear = parseResult.GetValue(failureRate),
                    NoWarningShare = parseResult.GetValue(noWarning),
                    Datacenter = parseResult.GetValue(datacenter) ?? "",
                },
                parseResult.GetValue(interval) ?? "", parseResult.GetValue(days), errors);
            if (errors.Count > 0)
            {
                return Task.FromResult(SimulateWorkflow.Refuse(errors, Console.Error));
            }

            return Task.FromResult(SimulateWorkflow.Run(options, parseResult.GetValue(output)!, TimeProvider.System, Console.Out, Console.Error, cancellationToken));
        });
        return command;
    }
}
