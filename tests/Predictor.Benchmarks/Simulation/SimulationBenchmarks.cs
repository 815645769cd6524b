using BenchmarkDotNet.Attributes;
using Predictor.Core.Telemetry;
using Predictor.Simulation;
using Predictor.Simulation.Output;

namespace Predictor.Benchmarks.Simulation;

/// <summary>
/// The simulator's budgets: the whole default scenario's telemetry (200 hosts, 2 days, 5 minutes) in well
/// under 5 s, and a 50,000-host inventory in a few seconds.
/// Run: dotnet run -c Release --project tests/Predictor.Benchmarks -- --filter '*SimulationBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class SimulationBenchmarks
{
    private SimulatedFleet _fleet = null!;

    [GlobalSetup]
    public void Setup() => _fleet = SimulatedFleet.Create(new SimulationOptions());

    [Benchmark(Description = "EmitTelemetry 200 hosts x 2 days, counting sink")]
    public long EmitDefaultScenario()
    {
        var sink = new CountingSink();
        _fleet.EmitTelemetry(_fleet.Options.Start - _fleet.Options.TelemetryInterval, _fleet.Options.End, sink);
        return sink.Count;
    }

    [Benchmark(Description = "EmitTelemetry 200 hosts x 2 days as line protocol")]
    public long EmitDefaultScenarioLineProtocol()
    {
        var sink = new LineProtocolTelemetrySink(Stream.Null);
        _fleet.EmitTelemetry(_fleet.Options.Start - _fleet.Options.TelemetryInterval, _fleet.Options.End, sink);
        sink.Flush();
        return sink.Lines;
    }

    [Benchmark(Description = "EmitTelemetry one 5-minute daemon pass, 200 hosts")]
    public long EmitOnePass()
    {
        var sink = new CountingSink();
        var at = _fleet.Options.Start + TimeSpan.FromHours(30);
        _fleet.EmitTelemetry(at - _fleet.Options.TelemetryInterval, at, sink);
        return sink.Count;
    }

    [Benchmark(Description = "Create 200 hosts x 2 days (inventory, models, failures)")]
    public SimulatedFleet CreateDefault() => SimulatedFleet.Create(new SimulationOptions());

    [Benchmark(Description = "Create 50,000 hosts x 10 VMs inventory only")]
    public SimulatedFleet CreateLargeInventory() =>
        SimulatedFleet.Create(new SimulationOptions { Hosts = 50_000, VmsPerHost = 10, Duration = TimeSpan.Zero });

    private sealed class CountingSink : ITelemetrySink
    {
        public long Count { get; private set; }

        public void Write(in TelemetrySample sample) => Count++;
    }
}
