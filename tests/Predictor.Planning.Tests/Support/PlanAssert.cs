using Predictor.Core.Plans;
using Predictor.Planning.Validation;

namespace Predictor.Planning.Tests.Support;

internal static class PlanAssert
{
    public static void Valid(PlanRequest request, MaintenancePlan plan)
    {
        var violations = PlanValidator.Validate(request, plan);
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    /// <summary>The most moves running at once among those matching <paramref name="filter"/>.</summary>
    public static int MaxOverlap(MaintenancePlan plan, Func<MigrationStep, bool> filter)
    {
        var events = plan.Migrations.Where(filter).SelectMany(m => new[] { (m.StartS, 1), (m.EndS, -1) })
            .OrderBy(e => e.Item1).ThenBy(e => e.Item2).ToList();
        int running = 0, max = 0;
        foreach (var (_, delta) in events)
        {
            running += delta;
            max = Math.Max(max, running);
        }

        return max;
    }
}
