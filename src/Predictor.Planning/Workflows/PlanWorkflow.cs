using System.Globalization;
using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Planning.Validation;

namespace Predictor.Planning.Workflows;

/// <summary><c>predictor plan</c>'s work once its options are parsed: plan from an inventory file into plan.json and validate it.</summary>
public static class PlanWorkflow
{
    /// <summary>
    /// Reads the inventory, plans, writes plan.json and validates it; the summary goes to <paramref name="stdout"/>,
    /// progress and every error to <paramref name="stderr"/>. Exit code: 0 done, 1 not written or not valid, 2 bad input.
    /// </summary>
    public static int Run(PlanArguments args, TimeProvider time, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
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
        var plan = new MaintenancePlanner(time, null, args.PlannerOptions).Plan(request, cancellationToken);
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
