using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Predictor.Core.Alerts;
using Predictor.Core.Telemetry;
using Predictor.Telemetry.LineProtocol;
using Predictor.Telemetry.Mapping;
using Predictor.Telemetry.Push;

namespace Predictor.Benchmarks.Telemetry;

/// <summary>
/// The push handler without HTTP: parse a 5000-line batch and map every field to a signal (ten per line).
/// Mean time is per line. <c>dotnet run -c Release --project tests/Predictor.Benchmarks -- --filter '*PushIngest*'</c>
/// </summary>
[MemoryDiagnoser]
public class PushIngestBenchmark
{
    private const int Lines = 5000;
    private InfluxPushHandler _handler = null!;
    private byte[] _batch = [];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(7);
        var sb = new StringBuilder();
        for (var i = 0; i < Lines; i++)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"host,host=h{i:D5},rack=r{i % 40:D2} cpu_load={rng.NextDouble():F3},cpu_temp_c={40 + rng.NextDouble() * 30:F1},inlet_temp_c={18 + rng.NextDouble() * 8:F1}," +
                $"mce_total={rng.Next(3)}i,mem_ce_total={rng.Next(500)}i,mem_ue_total=0i,fan_rpm={rng.Next(3000, 9000)},psu_ok=1i," +
                $"nic_errors_total={rng.Next(100000)}i,smart_5_raw={rng.Next(10)}i 1767225600\n");
        }

        _batch = Encoding.UTF8.GetBytes(sb.ToString());
        _handler = new InfluxPushHandler(new PushOptions(), new SignalMapper(new SignalMappingOptions(), new NullSink()), null, new NoAlerts());
    }

    [Benchmark(OperationsPerInvoke = Lines)]
    public int ParseAndMap() => _handler.IngestAsync(_batch, TimestampPrecision.Seconds, CancellationToken.None).GetAwaiter().GetResult().Accepted;

    private sealed class NullSink : ITelemetrySink
    {
        public void Write(in TelemetrySample sample)
        {
        }
    }

    private sealed class NoAlerts : IAlertPublisher
    {
        public Task PublishAsync(Alert alert, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
