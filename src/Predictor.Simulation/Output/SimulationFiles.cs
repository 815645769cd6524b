using System.Globalization;
using System.Text;
using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Telemetry.LineProtocol;

namespace Predictor.Simulation.Output;

/// <summary>What <see cref="SimulationFiles.Write"/> produced.</summary>
public sealed record SimulationFilesResult(string Directory, int Hosts, int Vms, int Failures, int Updates, long TelemetryLines);

/// <summary>
/// Writes a simulated fleet to a directory: <c>inventory.json</c>, <c>telemetry.lp</c> (line protocol,
/// second precision), <c>labels.csv</c> (host,fails_at,component,cause,precursor_start) and
/// <c>updates.csv</c> (host,update_id,kind).
/// </summary>
public static class SimulationFiles
{
    public const string InventoryFile = "inventory.json";
    public const string TelemetryFile = "telemetry.lp";
    public const string LabelsFile = "labels.csv";
    public const string UpdatesFile = "updates.csv";

    /// <summary>Writes all four files; <paramref name="progress"/> gets the share of telemetry written (0..1).</summary>
    public static SimulationFilesResult Write(SimulatedFleet fleet, string directory, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        Directory.CreateDirectory(directory);
        InventoryJson.WriteFile(fleet.Inventory, Path.Combine(directory, InventoryFile));
        WriteLabels(fleet.Failures, Path.Combine(directory, LabelsFile));
        WriteUpdates(fleet.Updates, Path.Combine(directory, UpdatesFile));
        var lines = WriteTelemetry(fleet, Path.Combine(directory, TelemetryFile), progress, cancellationToken);
        return new SimulationFilesResult(directory, fleet.Inventory.Hosts.Length, fleet.Inventory.Vms.Length, fleet.Failures.Count, fleet.Updates.Count, lines);
    }

    public static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string FormatKind(UpdateKind kind) => kind switch
    {
        UpdateKind.HotPatchable => "hot-patchable",
        UpdateKind.Hypervisor => "hypervisor",
        UpdateKind.HostComponent => "host-component",
        _ => "reboot",
    };

    private static long WriteTelemetry(SimulatedFleet fleet, string path, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        var sink = new LineProtocolTelemetrySink(stream, TimestampPrecision.Seconds);
        var options = fleet.Options;
        var total = fleet.StepsIn(options.Start - options.TelemetryInterval, options.End);
        // One simulated hour (at least one step) per chunk keeps progress fine-grained and the buffer small.
        var chunk = TimeSpan.FromTicks(Math.Max(options.TelemetryInterval.Ticks, TimeSpan.TicksPerHour));
        var from = options.Start - options.TelemetryInterval;
        long done = 0;
        while (from < options.End)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var to = from + chunk < options.End ? from + chunk : options.End;
            fleet.EmitTelemetry(from, to, sink);
            done += fleet.StepsIn(from, to);
            progress?.Report(total == 0 ? 1 : (double)done / total);
            from = to;
        }

        sink.Flush();
        return sink.Lines;
    }

    private static void WriteLabels(IReadOnlyList<FailureLabel> failures, string path)
    {
        var text = new StringBuilder("host,fails_at,component,cause,precursor_start\n");
        foreach (var f in failures)
        {
            text.Append(f.Host).Append(',').Append(FormatTime(f.FailsAt)).Append(',').Append(f.Component).Append(',')
                .Append(f.Cause).Append(',').Append(f.PrecursorStart is { } p ? FormatTime(p) : "").Append('\n');
        }

        File.WriteAllText(path, text.ToString());
    }

    private static void WriteUpdates(IReadOnlyList<HostUpdate> updates, string path)
    {
        var text = new StringBuilder("host,update_id,kind\n");
        foreach (var u in updates)
        {
            text.Append(u.Host).Append(',').Append(u.UpdateId).Append(',').Append(FormatKind(u.Kind)).Append('\n');
        }

        File.WriteAllText(path, text.ToString());
    }
}
