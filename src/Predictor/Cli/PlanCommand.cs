using System.CommandLine;
using Predictor.Core.Plans;
using Predictor.Planning;
using Predictor.Planning.Workflows;

namespace Predictor.Cli;

/// <summary><c>predictor plan</c>: evacuate at-risk hosts and/or walk updates through the ladder, write plan.json, validate it.</summary>
internal static class PlanCommand
{
    public static Command Create()
    {
        var inventory = new Option<FileInfo>("--inventory") { Description = "inventory.json of the datacenter", Required = true };
        var atRisk = new Option<string?>("--at-risk") { Description = "Comma-separated ids of hosts to evacuate" };
        var fraction = new Option<double?>("--at-risk-fraction") { Description = "Pick this share of active hosts at random (with --seed) to evacuate" };
        var seed = new Option<int>("--seed") { Description = "Seed for --at-risk-fraction and --update-all", DefaultValueFactory = _ => 1 };
        var updateAll = new Option<bool>("--update-all") { Description = "Every healthy host needs an update (seeded mix: 50% hot-patchable, 30% host component, 20% reboot); walk the ladder update domain by update domain" };
        var output = new Option<FileInfo>("--out") { Description = "Where to write plan.json", Required = true };
        var config = new Option<FileInfo?>("--config") { Description = "The daemon's configuration: plan under its Limits:* (the daemon's defaults without it), so the CLI plans what the daemon would" };
        var maxOut = new Option<int?>("--max-outbound") { Description = "Concurrent migrations out of one host (default: the daemon's Limits:MaxOutboundPerHost, 2)" };
        var maxIn = new Option<int?>("--max-inbound") { Description = "Concurrent migrations into one host (default: Limits:MaxInboundPerHost, 2)" };
        var maxAll = new Option<int?>("--max-concurrent") { Description = "Concurrent migrations in the datacenter (default: Limits:MaxConcurrent, 64)" };
        var overcommit = new Option<double?>("--cpu-overcommit") { Description = "vCPUs allowed per core on a destination (default: Limits:CpuOvercommit, 2 in the daemon)" };
        var downtime = new Option<double>("--max-downtime-ms") { Description = "Longest acceptable live-migration pause", DefaultValueFactory = _ => 500 };
        var headroom = new Option<double>("--headroom") { Description = "Share of each destination's memory, cores and disk kept free", DefaultValueFactory = _ => 0.05 };
        var noAutoConverge = new Option<bool>("--no-auto-converge") { Description = "Never throttle guests; VMs that would not converge move cold or stay unplaced" };
        var noCold = new Option<bool>("--no-cold-moves") { Description = "Never stop VMs to move them; VMs that cannot live-migrate stay unplaced" };
        var healthFailed = new Option<string?>("--health-failed") { Description = "Comma-separated hosts whose post-update health check failed: the rollout stops" };
        var command = new Command("plan", "Plan the evacuation of at-risk hosts and the maintenance of hosts needing an update; write plan.json and validate it")
        {
            inventory, atRisk, fraction, seed, updateAll, output, config, maxOut, maxIn, maxAll, overcommit, downtime, headroom, noAutoConverge, noCold, healthFailed,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var daemon = DaemonComposition.Limits(parseResult.GetValue(config)?.FullName);
            var args = new PlanArguments(
                parseResult.GetValue(inventory)!, parseResult.GetValue(atRisk), parseResult.GetValue(fraction), parseResult.GetValue(seed),
                parseResult.GetValue(updateAll), parseResult.GetValue(output)!,
                new PlanLimits
                {
                    MaxOutboundPerHost = parseResult.GetValue(maxOut) ?? daemon.MaxOutboundPerHost,
                    MaxInboundPerHost = parseResult.GetValue(maxIn) ?? daemon.MaxInboundPerHost,
                    MaxConcurrent = parseResult.GetValue(maxAll) ?? daemon.MaxConcurrent,
                    CpuOvercommit = parseResult.GetValue(overcommit) ?? daemon.CpuOvercommit,
                },
                parseResult.GetValue(downtime), parseResult.GetValue(headroom),
                new MaintenancePlannerOptions { AllowAutoConverge = !parseResult.GetValue(noAutoConverge), AllowColdMoves = !parseResult.GetValue(noCold) },
                parseResult.GetValue(healthFailed));
            return Task.FromResult(PlanWorkflow.Run(args, TimeProvider.System, Console.Out, Console.Error, cancellationToken));
        });
        return command;
    }
}
