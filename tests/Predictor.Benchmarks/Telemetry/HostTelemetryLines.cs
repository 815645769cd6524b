using System.Globalization;
using System.Text;

namespace Predictor.Benchmarks.Telemetry;

/// <summary>The benchmarks' payload: typical host-telemetry lines of 10 fields, seeded, as UTF-8.</summary>
internal static class HostTelemetryLines
{
    /// <param name="lines">How many lines.</param>
    /// <param name="host">The host id of line i (e.g. <c>i => $"h{i:D5}"</c>).</param>
    /// <param name="timestamp">The timestamp text of line i, or null for lines without one.</param>
    public static byte[] Create(int lines, Func<int, string> host, Func<int, string?> timestamp)
    {
        var rng = new Random(7);
        var sb = new StringBuilder();
        for (var i = 0; i < lines; i++)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"host,host={host(i)},rack=r{i % 40:D2} cpu_load={rng.NextDouble():F3},cpu_temp_c={40 + rng.NextDouble() * 30:F1},inlet_temp_c={18 + rng.NextDouble() * 8:F1}," +
                $"mce_total={rng.Next(3)}i,mem_ce_total={rng.Next(500)}i,mem_ue_total=0i,fan_rpm={rng.Next(3000, 9000)},psu_ok=1i," +
                $"nic_errors_total={rng.Next(100000)}i,smart_5_raw={rng.Next(10)}i");
            sb.Append(timestamp(i) is { } t ? " " + t + "\n" : "\n");
        }

        return Encoding.UTF8.GetBytes(sb.ToString());
    }
}
