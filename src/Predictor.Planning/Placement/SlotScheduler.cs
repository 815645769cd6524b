using Predictor.Core.Plans;

namespace Predictor.Planning.Placement;

/// <summary>
/// List scheduling with slots: each source host has <see cref="PlanLimits.MaxOutboundPerHost"/> slots, each
/// destination <see cref="PlanLimits.MaxInboundPerHost"/>, the datacenter <see cref="PlanLimits.MaxConcurrent"/>.
/// A migration starts when a slot of each is free and holds them until it ends, so no limit is exceeded at any moment.
/// </summary>
internal sealed class SlotScheduler(PlanLimits limits)
{
    private readonly Dictionary<string, PriorityQueue<double, double>> _outbound = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PriorityQueue<double, double>> _inbound = new(StringComparer.Ordinal);
    private readonly PriorityQueue<double, double> _global = Slots(limits.MaxConcurrent);

    /// <summary>Books the earliest start for a migration of <paramref name="duration"/> seconds; returns the start.</summary>
    public double Book(string source, string destination, double duration)
    {
        var outbound = Get(_outbound, source, limits.MaxOutboundPerHost);
        var inbound = Get(_inbound, destination, limits.MaxInboundPerHost);
        var start = Math.Max(outbound.Peek(), Math.Max(inbound.Peek(), _global.Peek()));
        foreach (var queue in new[] { outbound, inbound, _global })
        {
            queue.Dequeue();
            queue.Enqueue(start + duration, start + duration);
        }

        return start;
    }

    private static PriorityQueue<double, double> Get(Dictionary<string, PriorityQueue<double, double>> map, string key, int count)
    {
        if (!map.TryGetValue(key, out var queue))
        {
            queue = Slots(count);
            map[key] = queue;
        }

        return queue;
    }

    private static PriorityQueue<double, double> Slots(int count)
    {
        var queue = new PriorityQueue<double, double>();
        for (var i = 0; i < Math.Max(1, count); i++)
        {
            queue.Enqueue(0, 0);
        }

        return queue;
    }
}
