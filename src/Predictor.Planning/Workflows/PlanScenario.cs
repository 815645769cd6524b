using System.Collections.Immutable;
using Predictor.Core.Inventory;
using Predictor.Core.Plans;

namespace Predictor.Planning.Workflows;

/// <summary>
/// The seeded inputs of <c>predictor plan</c> that do not come from a file: which hosts are at risk
/// (<c>--at-risk-fraction F --seed N</c>) and which update every healthy host needs (<c>--update-all</c>).
/// </summary>
public static class PlanScenario
{
    /// <summary>Shortest and longest predicted time to failure given to seeded at-risk hosts.</summary>
    public const double MinDeadlineS = 2 * 3600, MaxDeadlineS = 72 * 3600;

    /// <summary>
    /// Picks round(F × active hosts) active hosts (at least one when F &gt; 0) with a seeded shuffle, each with a
    /// predicted failure time uniform in [2 h, 72 h] and a probability uniform in [0.5, 1).
    /// </summary>
    public static ImmutableArray<AtRiskHost> AtRiskByFraction(DatacenterInventory inventory, double fraction, int seed)
    {
        var active = inventory.Hosts.Where(h => h.State == HostState.Active).Select(h => h.Id).ToArray();
        var count = fraction <= 0 ? 0 : Math.Clamp((int)Math.Round(fraction * active.Length), 1, active.Length);
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var j = random.Next(i, active.Length);
            (active[i], active[j]) = (active[j], active[i]);
        }

        return [.. active.Take(count).Select(id => new AtRiskHost(id, MinDeadlineS + (random.NextDouble() * (MaxDeadlineS - MinDeadlineS)), 0.5 + (random.NextDouble() / 2)))];
    }

    /// <summary>
    /// An update for every active host that is not at risk, its kind drawn with a seeded generator in
    /// inventory order: 50 % hot-patchable, 30 % host component, 20 % reboot.
    /// </summary>
    public static ImmutableArray<HostUpdate> UpdateAll(DatacenterInventory inventory, IEnumerable<AtRiskHost> atRisk, int seed)
    {
        var skip = atRisk.Select(a => a.Host).ToHashSet(StringComparer.Ordinal);
        var random = new Random(unchecked(seed * 31 + 17));
        var updates = ImmutableArray.CreateBuilder<HostUpdate>();
        foreach (var host in inventory.Hosts)
        {
            var draw = random.NextDouble();
            if (host.State != HostState.Active || skip.Contains(host.Id))
            {
                continue;
            }

            var kind = draw < 0.5 ? UpdateKind.HotPatchable : draw < 0.8 ? UpdateKind.HostComponent : UpdateKind.Reboot;
            updates.Add(new HostUpdate(host.Id, $"update-{seed}", kind));
        }

        return updates.ToImmutable();
    }
}
