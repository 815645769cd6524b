using System.Globalization;

namespace Predictor.Simulation.Evaluation;

/// <summary>A fleet evaluation as Markdown: the figures per assessor, lead times by band, and every run.</summary>
public static class EvaluationMarkdown
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <param name="report">The evaluation.</param>
    /// <param name="command">The command that produced it, shown so that anyone can run it again.</param>
    /// <param name="output">Where to write.</param>
    public static void Write(EvaluationReport report, string command, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var plan = report.Plan;
        output.WriteLine(string.Create(C, $"# Fleet evaluation: seeds {plan.Seeds}, {plan.Hosts} hosts, {plan.Days:0.##} days each"));
        output.WriteLine();
        output.WriteLine(string.Create(C, $"{plan.Seeds.Count} simulated fleets, {report.HostDaysPerAssessor:#,0} host-days per assessor; each run is the daemon with its defaults on the scenario's virtual clock (the same seed gives the same figures on any machine)."));
        output.WriteLine();
        output.WriteLine("```");
        output.WriteLine(command);
        output.WriteLine("```");
        output.WriteLine();
        output.WriteLine("| assessor | VMs on failing hosts evacuated before the failure | VM interruptions per run | interruptions avoided vs none | false evacuations per 1,000 host-days | failures caught ahead | lead time median (p10–p90) | migrations per run (live / cold) | VM blackout per run |");
        output.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var a in report.Assessors)
        {
            var avoided = a.InterruptionsAvoided is { } s
                ? string.Create(C, $"{s.Mean:0.#} ± {s.StdDev:0.#} ({a.InterruptionsAvoidedShare * 100:0}%)")
                : "—";
            var lead = a.LeadTimes.Median is { } median
                ? string.Create(C, $"{median:0.#} h ({a.LeadTimes.P10:0.#}–{a.LeadTimes.P90:0.#} h)")
                : "—";
            output.WriteLine(string.Create(C,
                $"| {a.Name} | {Percent(a.PooledEvacuatedShare)} (per run {Percent(a.EvacuatedShare.Mean)} ± {Percent(a.EvacuatedShare.StdDev)}) | {a.VmInterruptions.Mean:0.#} ± {a.VmInterruptions.StdDev:0.#} | {avoided} | {a.PooledFalseEvacuationsPer1000HostDays:0.0} (per run {a.FalseEvacuationsPer1000HostDays.Mean:0.0} ± {a.FalseEvacuationsPer1000HostDays.StdDev:0.0}) | {a.FailuresPredictedAhead} of {a.Failures} ({a.FailuresWithoutWarning} without warning) | {lead} | {a.LiveMigrations.Mean:0} / {a.ColdMigrations.Mean:0} | {a.BlackoutSeconds.Mean:0} s |"));
        }

        output.WriteLine();
        output.WriteLine("Pooled figures are over all runs (total VMs evacuated over total VMs on failing hosts; total false evacuations over total host-days); ± is the standard deviation across seeds. A VM on a failing host is one moved off it before the failure or interrupted by it. Interruptions avoided: the runs without prediction minus the assessor's, seed by seed.");
        output.WriteLine();
        output.WriteLine("| assessor | what it is | assessor as the daemon names it |");
        output.WriteLine("|---|---|---|");
        foreach (var a in report.Assessors)
        {
            output.WriteLine($"| {a.Name} | {a.Description} | {a.AssessorName} |");
        }

        output.WriteLine();
        output.WriteLine("## Lead times (failures caught ahead, all runs)");
        output.WriteLine();
        output.WriteLine("| assessor | " + string.Join(" | ", LeadTimes.BandLimits.Select(b => b.Label)) + " | p25 | median | p75 |");
        output.WriteLine("|---|" + string.Concat(LeadTimes.BandLimits.Select(_ => "---|")) + "---|---|---|");
        foreach (var a in report.Assessors)
        {
            output.WriteLine(string.Create(C,
                $"| {a.Name} | {string.Join(" | ", a.LeadTimes.Bands.Select(b => b.Count))} | {Hours(a.LeadTimes.P25)} | {Hours(a.LeadTimes.Median)} | {Hours(a.LeadTimes.P75)} |"));
        }

        output.WriteLine();
        output.WriteLine("## Runs");
        output.WriteLine();
        output.WriteLine("| seed | assessor | failures (no warning) | caught ahead | VMs evacuated before failure | VM interruptions | hosts flagged | false evacuations | migrations live / cold | blackout | VMs unplaced |");
        output.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var run in report.Assessors.SelectMany(a => a.Runs).OrderBy(r => r.Seed).ThenBy(r => Order(report, r.Assessor)))
        {
            output.WriteLine(string.Create(C,
                $"| {run.Seed} | {run.Assessor} | {run.Failures} ({run.FailuresWithoutWarning}) | {run.FailuresPredictedAhead} | {run.VmsEvacuatedBeforeFailure} of {run.VmsOnFailingHosts} | {run.VmInterruptions} | {run.HostsFlagged} | {run.FalseEvacuations} | {run.LiveMigrations} / {run.ColdMigrations} | {run.BlackoutSeconds:0} s | {run.UnplacedVms} |"));
        }
    }

    private static int Order(EvaluationReport report, string assessor) =>
        report.Assessors.Select((a, i) => (a, i)).First(x => x.a.Name == assessor).i;

    private static string Percent(double share) => double.IsNaN(share) ? "—" : string.Create(C, $"{share * 100:0.0}%");

    private static string Hours(double? hours) => hours is { } h ? string.Create(C, $"{h:0.#} h") : "—";
}
