using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Predictor.Telemetry.LineProtocol;

namespace Predictor.Benchmarks.Telemetry;

/// <summary>
/// Parsing typical host-telemetry lines (one measurement, two tags, ten fields of mixed types, a
/// nanosecond timestamp). Mean time is per line: lines/s = 1e9 / Mean[ns].
/// <c>dotnet run -c Release --project tests/Predictor.Benchmarks -- --filter '*LineProtocolParse*'</c>
/// </summary>
[MemoryDiagnoser]
public class LineProtocolParseBenchmark
{
    private const int Lines = 10_000;
    private readonly LineProtocolScratch _scratch = new();
    private byte[] _batch = [];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(7);
        var sb = new StringBuilder();
        for (var i = 0; i < Lines; i++)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"host,host=h{i % 5000:D5},rack=r{i % 40:D2} cpu_load={rng.NextDouble():F3},cpu_temp_c={40 + rng.NextDouble() * 30:F1},inlet_temp_c={18 + rng.NextDouble() * 8:F1}," +
                $"mce_total={rng.Next(3)}i,mem_ce_total={rng.Next(500)}i,mem_ue_total=0i,fan_rpm={rng.Next(3000, 9000)},psu_ok=1i," +
                $"nic_errors_total={rng.Next(100000)}i,smart_5_raw={rng.Next(10)}i {1767225600000000000L + i * 60_000_000_000L}\n");
        }

        _batch = Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>Parse and read every field as a number: what the signal mapping does per line.</summary>
    [Benchmark(OperationsPerInvoke = Lines)]
    public double ParseAndReadFields()
    {
        var reader = new LineProtocolReader(_batch, TimestampPrecision.Nanoseconds, _scratch);
        var sum = 0.0;
        while (reader.Read() == LineReadResult.Point)
        {
            for (var f = 0; f < reader.FieldCount; f++)
            {
                reader.GetField(f).TryGetNumber(out var v);
                sum += v;
            }

            if (reader.TryGetTag("host"u8, out var host))
            {
                sum += host.Raw.Length;
            }
        }

        return sum;
    }
}
