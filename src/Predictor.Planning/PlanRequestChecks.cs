using Predictor.Core.Plans;

namespace Predictor.Planning;

/// <summary>Rejects a request the planner cannot honour, naming every problem at once.</summary>
internal static class PlanRequestChecks
{
    public static void ThrowIfInvalid(PlanRequest request)
    {
        var errors = new List<string>();
        var inventory = request.Inventory;
        for (var i = 0; i < request.AtRisk.Length; i++)
        {
            if (!inventory.TryGetHost(request.AtRisk[i].Host, out _))
            {
                errors.Add($"atRisk[{i}].host: unknown host '{request.AtRisk[i].Host}'");
            }
        }

        for (var i = 0; i < request.Updates.Length; i++)
        {
            if (!inventory.TryGetHost(request.Updates[i].Host, out _))
            {
                errors.Add($"updates[{i}].host: unknown host '{request.Updates[i].Host}'");
            }
        }

        var limits = request.Limits;
        Positive(errors, "limits.maxOutboundPerHost", limits.MaxOutboundPerHost);
        Positive(errors, "limits.maxInboundPerHost", limits.MaxInboundPerHost);
        Positive(errors, "limits.maxConcurrent", limits.MaxConcurrent);
        if (!(limits.CpuOvercommit > 0) || double.IsInfinity(limits.CpuOvercommit))
        {
            errors.Add($"limits.cpuOvercommit: must be a positive number, got {limits.CpuOvercommit}");
        }

        var options = request.Options;
        if (options.MaxDowntime <= TimeSpan.Zero)
        {
            errors.Add($"options.maxDowntime: must be positive, got {options.MaxDowntime.TotalMilliseconds} ms");
        }

        if (!(options.HeadroomFraction >= 0 && options.HeadroomFraction < 1))
        {
            errors.Add($"options.headroomFraction: must be at least 0 and below 1, got {options.HeadroomFraction}");
        }

        if (options.SelfServiceWindow < TimeSpan.Zero || options.ColdMoveBootTime < TimeSpan.Zero)
        {
            errors.Add("options.selfServiceWindow and options.coldMoveBootTime: must not be negative");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException($"Plan request is invalid ({errors.Count} error{(errors.Count == 1 ? "" : "s")}):{Environment.NewLine}  " +
                string.Join(Environment.NewLine + "  ", errors), nameof(request));
        }
    }

    private static void Positive(List<string> errors, string field, int value)
    {
        if (value <= 0)
        {
            errors.Add($"{field}: must be at least 1, got {value}");
        }
    }
}
