using Predictor.Core.Inventory;
using Predictor.Testing.Telemetry;

namespace Predictor.Simulation.Tests;

public sealed class SimulatedFleetDeterminismTests
{
    [Fact]
    public void Create_SameSeed_IdenticalInventoryLabelsUpdatesAndTelemetry()
    {
        var options = Fleets.Small() with { FailuresPerHostYear = 400 };
        var a = SimulatedFleet.Create(options);
        var b = SimulatedFleet.Create(options);

        Assert.Equal(InventoryBytes(a), InventoryBytes(b));
        Assert.NotEmpty(a.Failures);
        Assert.Equal(a.Failures, b.Failures);
        Assert.Equal(a.Updates, b.Updates);
        Assert.Equal(Fleets.TelemetryHash(a), Fleets.TelemetryHash(b));
    }

    [Fact]
    public void Create_DifferentSeed_DifferentInventoryLabelsAndTelemetry()
    {
        var options = Fleets.Small() with { FailuresPerHostYear = 400 };
        var a = SimulatedFleet.Create(options);
        var b = SimulatedFleet.Create(options with { Seed = options.Seed + 1 });

        Assert.NotEqual(InventoryBytes(a), InventoryBytes(b));
        Assert.NotEqual(a.Failures, b.Failures);
        Assert.NotEqual(Fleets.TelemetryHash(a), Fleets.TelemetryHash(b));
    }

    [Fact]
    public void Create_LargerFleet_SharedHostsKeepTheirUpdatesAndHardware()
    {
        var small = SimulatedFleet.Create(Fleets.Small() with { Hosts = 60 });
        var large = SimulatedFleet.Create(Fleets.Small() with { Hosts = 80 });

        Assert.Equal(small.Inventory.Hosts, large.Inventory.Hosts.Take(60));
        Assert.Equal(small.Updates, large.Updates.Where(u => small.Inventory.TryGetHost(u.Host, out _)));
    }

    [Fact]
    public void EmitTelemetry_ChunkedAtOddBoundaries_SameSamplesAsOneCall()
    {
        var fleet = SimulatedFleet.Create(Fleets.Small() with { FailuresPerHostYear = 400 });
        var start = fleet.Options.Start;
        var whole = new CollectingSink();
        fleet.EmitTelemetry(start - TimeSpan.FromHours(1), fleet.Options.End, whole);

        var chunked = new CollectingSink();
        var from = start - TimeSpan.FromHours(1);
        foreach (var to in new[] { start, start + TimeSpan.FromMinutes(5), start + TimeSpan.FromMinutes(17.5), start + TimeSpan.FromHours(7), start + TimeSpan.FromHours(7), fleet.Options.End })
        {
            fleet.EmitTelemetry(from, to, chunked);
            from = to;
        }

        Assert.Equal(whole.Samples.Count, chunked.Samples.Count);
        Assert.Equal(whole.Samples, chunked.Samples);
    }

    [Fact]
    public void EmitTelemetry_FromSeveralThreads_EachGetsTheSameSamples()
    {
        var fleet = SimulatedFleet.Create(Fleets.Small() with { FailuresPerHostYear = 400 });
        var expected = Fleets.TelemetryHash(fleet);

        var hashes = Enumerable.Range(0, 4).AsParallel().WithDegreeOfParallelism(4).Select(_ => Fleets.TelemetryHash(fleet)).ToList();

        Assert.All(hashes, h => Assert.Equal(expected, h));
    }

    [Fact]
    public void EmitTelemetry_CalledTwiceForOneRange_SameSamples()
    {
        var fleet = SimulatedFleet.Create(Fleets.Small());
        var range = (From: fleet.Options.Start + TimeSpan.FromHours(3), To: fleet.Options.Start + TimeSpan.FromHours(4));
        var first = new CollectingSink();
        var second = new CollectingSink();

        fleet.EmitTelemetry(range.From, range.To, first);
        fleet.EmitTelemetry(fleet.Options.Start, fleet.Options.End, new CollectingSink());
        fleet.EmitTelemetry(range.From, range.To, second);

        Assert.Equal(first.Samples, second.Samples);
    }

    [Fact]
    public void EmitTelemetry_RangeOnGrid_ExcludesFromIncludesTo()
    {
        var fleet = SimulatedFleet.Create(Fleets.Small() with { FailuresPerHostYear = 0 });
        var from = fleet.Options.Start + TimeSpan.FromMinutes(10);
        var sink = new CollectingSink();

        fleet.EmitTelemetry(from, from + TimeSpan.FromMinutes(10), sink);

        Assert.Equal([from + TimeSpan.FromMinutes(5), from + TimeSpan.FromMinutes(10)], sink.Samples.Select(s => s.Time).Distinct());
        Assert.Equal(20, sink.Samples.Where(s => s.Time == from + TimeSpan.FromMinutes(5)).Select(s => s.Host).Distinct().Count());
    }

    [Fact]
    public void EmitTelemetry_OutsidePeriod_EmitsNothing()
    {
        var fleet = SimulatedFleet.Create(Fleets.Small());
        var sink = new CollectingSink();

        fleet.EmitTelemetry(fleet.Options.Start - TimeSpan.FromDays(2), fleet.Options.Start - TimeSpan.FromMinutes(1), sink);
        fleet.EmitTelemetry(fleet.Options.End, fleet.Options.End + TimeSpan.FromDays(1), sink);

        Assert.Empty(sink.Samples);
    }

    private static byte[] InventoryBytes(SimulatedFleet fleet)
    {
        using var stream = new MemoryStream();
        InventoryJson.Write(fleet.Inventory, stream);
        return stream.ToArray();
    }
}
