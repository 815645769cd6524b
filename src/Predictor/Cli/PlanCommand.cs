using System.CommandLine;
using System.Globalization;
using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Planning;
using Predictor.Planning.Validation;

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
            return Task.FromResult(Run(args, Console.Out, Console.Error, cancellationToken));
        });
        return command;
    }

    internal static int Run(PlanArguments args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var errors = args.Check();
        if (errors.Count > 0)
        {
            stderr.WriteLine("predictor plan: " + string.Join(Environment.NewLine + "predictor plan: ", errors));
            return 2;
        }

        DatacenterInventory inventory;
        try
        {
            stderr.WriteLine($"Reading {args.Inventory.FullName} …");
            inventory = InventoryJson.ReadFile(args.Inventory.FullName);
        }
        catch (InventoryValidationException e)
        {
            stderr.WriteLine(e.Message);
            return 2;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or IOException)
        {
            stderr.WriteLine($"predictor plan: cannot read --inventory '{args.Inventory.FullName}': {e.Message}");
            return 2;
        }

        var request = args.ToRequest(inventory, out var requestErrors);
        if (requestErrors.Count > 0)
        {
            stderr.WriteLine("predictor plan: " + string.Join(Environment.NewLine + "predictor plan: ", requestErrors));
            return 2;
        }

        stderr.WriteLine($"Planning {inventory.Hosts.Length} hosts, {inventory.Vms.Length} VMs: {request.AtRisk.Length} at risk, {request.Updates.Length} updates …");
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var plan = new MaintenancePlanner(TimeProvider.System, null, args.PlannerOptions).Plan(request, cancellationToken);
        var planningCpu = Environment.CpuUsage.TotalTime - cpuBefore;
        try
        {
            PlanJson.WriteFile(plan, args.Output.FullName);
        }
        catch (Exception e) when (e is DirectoryNotFoundException or UnauthorizedAccessException or IOException)
        {
            stderr.WriteLine($"predictor plan: cannot write --out '{args.Output.FullName}': {e.Message}");
            return 1;
        }

        stderr.WriteLine("Validating the plan …");
        var violations = PlanValidator.Validate(request, plan);
        PrintSummary(plan, planningCpu, args.Output.FullName, violations.Count, stdout);
        if (violations.Count > 0)
        {
            stderr.WriteLine($"predictor plan: the plan breaks {violations.Count} rule(s); do not execute it:");
            foreach (var v in violations.Take(50))
            {
                stderr.WriteLine("  " + v);
            }

            return 1;
        }

        return 0;
    }

    private static void PrintSummary(MaintenancePlan plan, TimeSpan planningCpu, string path, int violations, TextWriter stdout)
    {
        var s = plan.Summary;
        var c = CultureInfo.InvariantCulture;
        var cold = plan.Migrations.Count(m => m.Kind == MigrationKind.Cold);
        stdout.WriteLine(string.Format(c, "moves:       {0} ({1} live, {2} cold), unplaced {3}, maintenance steps {4}",
            plan.Migrations.Length, plan.Migrations.Length - cold, cold, plan.Unplaced.Length, plan.Maintenance.Length));
        stdout.WriteLine(string.Format(c, "makespan:    {0:0.#} s vs lower bound {1:0.#} s (ratio {2:0.###})",
            s.MakespanS, s.LowerBoundS, s.LowerBoundS > 0 ? s.MakespanS / s.LowerBoundS : 1));
        if (plan.AtRisk.Length > 0 && s.Extra is { } extra && extra.TryGetValue("evacuationMakespanS", out var em) && extra.TryGetValue("evacuationLowerBoundS", out var eb))
        {
            var (m, b) = ((double)em, (double)eb);
            stdout.WriteLine(string.Format(c, "evacuation:  {0:0.#} s vs lower bound {1:0.#} s (ratio {2:0.###}; bound set by {3})",
                m, b, b > 0 ? m / b : 1, extra.GetValueOrDefault("evacuationBoundSetBy")));
        }

        stdout.WriteLine(string.Format(c, "planning:    {0:0.###} s (compute only; {1:0.###} s of CPU, which a busy machine does not inflate)", s.PlanningS, planningCpu.TotalSeconds));
        stdout.WriteLine(violations == 0 ? "validation:  passed" : string.Format(c, "validation:  FAILED ({0} violations)", violations));
        stdout.WriteLine($"wrote:       {path}");
    }
}
