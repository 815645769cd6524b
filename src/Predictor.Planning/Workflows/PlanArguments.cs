using System.Collections.Immutable;
using Predictor.Core.Inventory;
using Predictor.Core.Plans;

namespace Predictor.Planning.Workflows;

/// <summary>The parsed options of <c>predictor plan</c>, checked together so every mistake is reported at once.</summary>
public sealed record PlanArguments(
    FileInfo Inventory,
    string? AtRisk,
    double? AtRiskFraction,
    int Seed,
    bool UpdateAll,
    FileInfo Output,
    PlanLimits Limits,
    double MaxDowntimeMs,
    double Headroom,
    MaintenancePlannerOptions PlannerOptions,
    string? HealthFailed)
{
    public List<string> Check()
    {
        var errors = new List<string>();
        if (AtRisk is not null && AtRiskFraction is not null)
        {
            errors.Add("give either --at-risk or --at-risk-fraction, not both");
        }

        if (AtRisk is null && AtRiskFraction is null && !UpdateAll)
        {
            errors.Add("nothing to plan: give --at-risk <h1,h2,…>, --at-risk-fraction F (with --seed N), or --update-all");
        }

        if (AtRiskFraction is { } f && !(f >= 0 && f <= 1))
        {
            errors.Add($"--at-risk-fraction must be between 0 and 1, got {f}");
        }

        Positive(errors, "--max-outbound", Limits.MaxOutboundPerHost);
        Positive(errors, "--max-inbound", Limits.MaxInboundPerHost);
        Positive(errors, "--max-concurrent", Limits.MaxConcurrent);
        if (!(Limits.CpuOvercommit > 0) || double.IsInfinity(Limits.CpuOvercommit))
        {
            errors.Add($"--cpu-overcommit must be a positive number, got {Limits.CpuOvercommit}");
        }

        if (!(MaxDowntimeMs > 0) || double.IsInfinity(MaxDowntimeMs))
        {
            errors.Add($"--max-downtime-ms must be a positive number, got {MaxDowntimeMs}");
        }

        if (!(Headroom >= 0 && Headroom < 1))
        {
            errors.Add($"--headroom must be at least 0 and below 1, got {Headroom}");
        }

        return errors;
    }

    public PlanRequest ToRequest(DatacenterInventory inventory, out List<string> errors)
    {
        errors = [];
        ImmutableArray<AtRiskHost> atRisk = [];
        if (AtRisk is not null)
        {
            var ids = Split(AtRisk);
            foreach (var id in ids.Where(id => !inventory.TryGetHost(id, out _)))
            {
                errors.Add($"--at-risk names unknown host '{id}'");
            }

            atRisk = [.. ids.Distinct(StringComparer.Ordinal).Select(id => new AtRiskHost(id, null, 1.0))];
        }
        else if (AtRiskFraction is { } fraction)
        {
            atRisk = PlanScenario.AtRiskByFraction(inventory, fraction, Seed);
        }

        var health = HealthFailed is null ? [] : Split(HealthFailed);
        foreach (var id in health.Where(id => !inventory.TryGetHost(id, out _)))
        {
            errors.Add($"--health-failed names unknown host '{id}'");
        }

        var updates = UpdateAll ? PlanScenario.UpdateAll(inventory, atRisk, Seed) : [];
        var options = new PlanningOptions { MaxDowntime = TimeSpan.FromMilliseconds(MaxDowntimeMs), HeadroomFraction = Headroom };
        return new PlanRequest(inventory, atRisk, updates, Limits, options) { HealthFailedHosts = [.. health] };
    }

    private static string[] Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static void Positive(List<string> errors, string option, int value)
    {
        if (value <= 0)
        {
            errors.Add($"{option} must be at least 1, got {value}");
        }
    }
}
