using System.Globalization;

namespace Predictor.Execution.Hypervisors.Libvirt;

/// <summary>The parts of <c>virsh domjobinfo</c> output that orchestration needs (sizes are virsh's rounded figures).</summary>
/// <param name="JobType">None, Unbounded (running), Completed, Failed, Cancelled, Bounded.</param>
/// <param name="Operation">E.g. "Outgoing migration"; null when virsh printed none.</param>
/// <param name="TimeElapsedMs">Time since the job began.</param>
/// <param name="DataProcessedBytes">Bytes sent so far; null while a job that has just begun has no figures yet.</param>
/// <param name="DataRemainingBytes">Bytes still to send; null while a job that has just begun has no figures yet.</param>
/// <param name="Iteration">The pre-copy round.</param>
/// <param name="TotalDowntimeMs">The switch-over pause, present for a completed migration.</param>
internal sealed record VirshJobInfo(string JobType, string? Operation, long? TimeElapsedMs, long? DataProcessedBytes, long? DataRemainingBytes, int Iteration, long? TotalDowntimeMs)
{
    /// <summary>Parses the C-locale output of <c>virsh domjobinfo [--completed]</c>.</summary>
    /// <exception cref="FormatException">The output has no "Job type:" line, or a value is malformed; the message names the line.</exception>
    public static VirshJobInfo Parse(string output)
    {
        var fields = new Dictionary<string, (string Value, int Line)>(StringComparer.Ordinal);
        var lines = output.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                fields[line[..colon].Trim()] = (line[(colon + 1)..].Trim(), i + 1);
            }
        }

        if (!fields.TryGetValue("Job type", out var jobType))
        {
            throw new FormatException($"virsh domjobinfo output has no 'Job type:' line: '{Truncate(output)}'");
        }

        return new VirshJobInfo(
            jobType.Value,
            fields.TryGetValue("Operation", out var op) ? op.Value : null,
            Milliseconds(fields, "Time elapsed"),
            Size(fields, "Data processed"),
            Size(fields, "Data remaining"),
            fields.TryGetValue("Iteration", out var it) ? (int)Number(it, "Iteration") : 0,
            Milliseconds(fields, "Total downtime"));
    }

    private static long? Milliseconds(Dictionary<string, (string Value, int Line)> fields, string name)
    {
        if (!fields.TryGetValue(name, out var field))
        {
            return null;
        }

        var parts = field.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || parts[1] != "ms")
        {
            throw new FormatException($"virsh domjobinfo line {field.Line} ('{name}'): expected '<number> ms', got '{field.Value}'");
        }

        return (long)Number((parts[0], field.Line), name);
    }

    /// <summary>virsh prints sizes as "12.345 MiB" (B, KiB, MiB, GiB, TiB).</summary>
    private static long? Size(Dictionary<string, (string Value, int Line)> fields, string name)
    {
        if (!fields.TryGetValue(name, out var field))
        {
            return null;
        }

        var parts = field.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var unit = parts.Length == 2 ? parts[1] switch
        {
            "B" => 1L,
            "KiB" => 1L << 10,
            "MiB" => 1L << 20,
            "GiB" => 1L << 30,
            "TiB" => 1L << 40,
            _ => 0L,
        } : 0L;
        if (unit == 0)
        {
            throw new FormatException($"virsh domjobinfo line {field.Line} ('{name}'): expected '<number> B|KiB|MiB|GiB|TiB', got '{field.Value}'");
        }

        return (long)Math.Round(Number((parts[0], field.Line), name) * unit);
    }

    private static double Number((string Value, int Line) field, string name) =>
        double.TryParse(field.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"virsh domjobinfo line {field.Line} ('{name}'): expected a number, got '{field.Value}'");

    private static string Truncate(string s) => s.Length <= 120 ? s : s[..120] + "...";
}
