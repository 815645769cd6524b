using System.Globalization;
using System.Text;
using Predictor.Core.Inventory;
using Predictor.Core.Telemetry;
using Predictor.Simulation.Output;
using Predictor.Testing.Telemetry;

namespace Predictor.Simulation.Tests.Output;

public sealed class SimulationFilesTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "predictor-sim-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Write_SmallFleet_FilesRoundTrip()
    {
        var fleet = SimulatedFleet.Create(Fleets.Small() with { FailuresPerHostYear = 500 });

        var result = SimulationFiles.Write(fleet, _dir);

        var inventory = InventoryJson.ReadFile(Path.Combine(_dir, "inventory.json"));
        Assert.Equal(fleet.Inventory.Hosts.ToArray(), inventory.Hosts.ToArray());
        Assert.Equal(fleet.Inventory.Vms.ToArray(), inventory.Vms.ToArray());

        var labels = File.ReadAllLines(Path.Combine(_dir, "labels.csv"));
        Assert.Equal("host,fails_at,component,cause,precursor_start", labels[0]);
        Assert.Equal(fleet.Failures.Count, labels.Length - 1);
        Assert.NotEmpty(fleet.Failures);
        for (var i = 0; i < fleet.Failures.Count; i++)
        {
            var f = fleet.Failures[i];
            var cells = labels[i + 1].Split(',');
            Assert.Equal(f.Host, cells[0]);
            Assert.Equal(f.FailsAt, DateTimeOffset.Parse(cells[1], CultureInfo.InvariantCulture));
            Assert.Equal(f.Component, cells[2]);
            Assert.Equal(f.Cause, cells[3]);
            Assert.Equal(f.PrecursorStart, cells[4].Length == 0 ? null : DateTimeOffset.Parse(cells[4], CultureInfo.InvariantCulture));
        }

        var updates = File.ReadAllLines(Path.Combine(_dir, "updates.csv"));
        Assert.Equal("host,update_id,kind", updates[0]);
        Assert.Equal(fleet.Updates.Select(u => $"{u.Host},{u.UpdateId},{SimulationFiles.FormatKind(u.Kind)}"), updates.Skip(1));

        var lines = File.ReadAllLines(Path.Combine(_dir, "telemetry.lp"));
        Assert.Equal(result.TelemetryLines, lines.Length);
        var parsed = lines.SelectMany(ParseLine).ToList();
        var expected = new CollectingSink();
        fleet.EmitTelemetry(fleet.Options.Start - fleet.Options.TelemetryInterval, fleet.Options.End, expected);
        Assert.Equal(expected.Samples.Count, parsed.Count);
        Assert.Equal(expected.Samples, parsed);
    }

    [Fact]
    public void Write_ZeroDays_InventoryAndEmptyTelemetryAndLabels()
    {
        var fleet = SimulatedFleet.Create(new SimulationOptions { Hosts = 30, Duration = TimeSpan.Zero });

        var result = SimulationFiles.Write(fleet, _dir);

        Assert.Equal(30, InventoryJson.ReadFile(Path.Combine(_dir, "inventory.json")).Hosts.Length);
        Assert.Equal(0, new FileInfo(Path.Combine(_dir, "telemetry.lp")).Length);
        Assert.Equal(["host,fails_at,component,cause,precursor_start"], File.ReadAllLines(Path.Combine(_dir, "labels.csv")));
        Assert.Equal(0, result.TelemetryLines);
    }

    [Fact]
    public void LineProtocolSink_GroupsOneLinePerComponentAndTime()
    {
        using var stream = new MemoryStream();
        var sink = new LineProtocolTelemetrySink(stream);
        var t = new DateTimeOffset(2026, 1, 5, 0, 5, 0, TimeSpan.Zero);

        sink.Write(new TelemetrySample("h0001", SignalNames.SmartReallocatedSectors, "sda", t, 8));
        sink.Write(new TelemetrySample("h0001", SignalNames.SmartTemperature, "sda", t, 31));
        sink.Write(new TelemetrySample("h0001", SignalNames.SmartReallocatedSectors, "sdb", t, 0));
        sink.Write(new TelemetrySample("h0001", SignalNames.CpuTemperature, null, t, 61.5));
        sink.Write(new TelemetrySample("h0001", SignalNames.CpuLoad, null, t, 0.25));
        sink.Write(new TelemetrySample("h0001", SignalNames.FanSpeed, "2", t, 8120));
        sink.Flush();

        Assert.Equal(
            "smart,host=h0001,disk=sda smart_5_raw=8i,smart_194_raw=31i 1767571500\n" +
            "smart,host=h0001,disk=sdb smart_5_raw=0i 1767571500\n" +
            "host,host=h0001 cpu_temp_c=61.5,cpu_load=0.25 1767571500\n" +
            "fan,host=h0001,fan=2 fan_rpm=8120 1767571500\n",
            Encoding.UTF8.GetString(stream.ToArray()));
        Assert.Equal(4, sink.Lines);
    }

    [Fact]
    public void LineProtocolSink_UnknownSignal_ThrowsNamingIt()
    {
        var sink = new LineProtocolTelemetrySink(new MemoryStream());

        var e = Assert.Throws<ArgumentException>(() => sink.Write(new TelemetrySample("h1", "gpu_temp_c", null, DateTimeOffset.UnixEpoch, 1)));

        Assert.StartsWith("Signal 'gpu_temp_c' has no line-protocol measurement.", e.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    /// <summary>A reader just sufficient for the simulator's own output (no escapes occur in it).</summary>
    private static IEnumerable<TelemetrySample> ParseLine(string line)
    {
        var parts = line.Split(' ');
        Assert.Equal(3, parts.Length);
        var tags = parts[0].Split(',');
        var host = tags[1]["host=".Length..];
        var component = tags.Length > 2 ? tags[2][(tags[2].IndexOf('=', StringComparison.Ordinal) + 1)..] : null;
        var time = DateTimeOffset.FromUnixTimeSeconds(long.Parse(parts[2], CultureInfo.InvariantCulture));
        foreach (var field in parts[1].Split(','))
        {
            var (key, value) = (field[..field.IndexOf('=', StringComparison.Ordinal)], field[(field.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            Assert.Equal(TelemetryMeasurements.Of(key).Integer, value.EndsWith('i'));
            Assert.Equal(TelemetryMeasurements.Of(key).Measurement, tags[0]);
            yield return new TelemetrySample(host, key, component, time, double.Parse(value.TrimEnd('i'), CultureInfo.InvariantCulture));
        }
    }
}
