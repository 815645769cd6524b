using Predictor.Core.Risk;

namespace Predictor.Tests.Daemon.Lifecycle;

/// <summary>The replay of stored telemetry against what the daemon logged live (shared with the integration tests over influxd).</summary>
internal static class ReplayAssert
{
    /// <summary>
    /// Every logged row is replayed with the same values (exactly: same doubles), and the replay has no other rows but
    /// those of hosts that had just failed (the daemon stops assessing a host its hypervisor reports failed; the replay
    /// cannot know, and the labels put those rows out of service).
    /// </summary>
    public static void SameRows(IReadOnlyList<HostFeatures> live, IReadOnlyList<HostFeatures> replayed, IReadOnlyDictionary<string, DateTimeOffset> failsAt)
    {
        Assert.True(live.Count > 100, $"only {live.Count} rows were logged");
        var byKey = replayed.ToDictionary(r => (r.Host, r.At));
        foreach (var row in live)
        {
            Assert.True(byKey.TryGetValue((row.Host, row.At), out var again), $"no replayed row for {row.Host} at {row.At:u}");
            Assert.Equal(row.LastSeen, again.LastSeen);
            Assert.Equal(row.Values.OrderBy(v => v.Key, StringComparer.Ordinal), again.Values.OrderBy(v => v.Key, StringComparer.Ordinal));
        }

        var logged = live.Select(r => (r.Host, r.At)).ToHashSet();
        Assert.All(replayed.Where(r => !logged.Contains((r.Host, r.At))), r =>
            Assert.True(failsAt.TryGetValue(r.Host, out var at) && at <= r.At, $"{r.Host} at {r.At:u} was replayed but not logged"));
        Assert.Contains(live, r => r.Values.Keys.Any(k => k.EndsWith(".spike_score", StringComparison.Ordinal))); // the detectors' outputs too
    }
}
