using System.Globalization;
using System.Text.Json;

namespace Predictor.Learning.TimeSeries.Nab;

/// <summary>A malformed NAB corpus; the message names the file (and line or window) and what was expected.</summary>
public sealed class NabCorpusException : Exception
{
    public NabCorpusException(string message)
        : base(message)
    {
    }

    public NabCorpusException()
    {
    }

    public NabCorpusException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>One labelled series of the corpus: its name (<c>category/file.csv</c>), points and anomaly windows as inclusive row ranges.</summary>
public sealed record NabSeries(string Name, IReadOnlyList<DateTime> Times, double[] Values, IReadOnlyList<(int Start, int End)> Windows);

/// <summary>
/// Reads NAB's layout: <c>&lt;category&gt;/&lt;file&gt;.csv</c> series (<c>timestamp,value</c>) under the corpus root and
/// <c>combined_windows.json</c> at the root (<c>{"category/file.csv": [["start", "end"], ...]}</c>). A window maps to the
/// rows whose timestamps lie within it. Every labelled file must exist and every CSV must be labelled.
/// </summary>
public static class NabCorpus
{
    public const string LabelFile = "combined_windows.json";

    private static readonly string[] Formats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.ffffff", "yyyy-MM-dd HH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ssZ"];

    public static IReadOnlyList<NabSeries> Load(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (!Directory.Exists(root))
        {
            throw new NabCorpusException($"corpus directory '{root}' does not exist");
        }

        string labelPath = Path.Combine(root, LabelFile);
        if (!File.Exists(labelPath))
        {
            throw new NabCorpusException($"{labelPath}: missing; a NAB corpus has {LabelFile} at its root");
        }

        var labels = ReadLabels(labelPath);
        var csvs = Directory.GetDirectories(root)
            .SelectMany(dir => Directory.GetFiles(dir, "*.csv").Select(f => Path.GetFileName(dir) + "/" + Path.GetFileName(f)))
            .Order(StringComparer.Ordinal)
            .ToList();
        var unlabelled = csvs.Where(c => !labels.ContainsKey(c)).ToList();
        if (unlabelled.Count > 0)
        {
            throw new NabCorpusException($"{labelPath}: no entry for {string.Join(", ", unlabelled)}");
        }

        var missing = labels.Keys.Where(k => !csvs.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            throw new NabCorpusException($"{labelPath}: labelled series not found under {root}: {string.Join(", ", missing)}");
        }

        return csvs.Select(name => ReadSeries(root, name, labels[name], labelPath)).ToList();
    }

    internal static DateTime ParseTime(string text, string where) =>
        DateTime.TryParseExact(text.Trim(), Formats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new NabCorpusException($"{where}: expected a timestamp like 2014-04-01 00:00:00, got '{text}'");

    private static Dictionary<string, List<(DateTime Start, DateTime End)>> ReadLabels(string path)
    {
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new NabCorpusException($"{path}: not valid JSON: {ex.Message}", ex);
        }

        using (json)
        {
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new NabCorpusException($"{path}: expected an object keyed by category/file.csv");
            }

            var labels = new Dictionary<string, List<(DateTime, DateTime)>>(StringComparer.Ordinal);
            foreach (var entry in json.RootElement.EnumerateObject())
            {
                var windows = new List<(DateTime, DateTime)>();
                int index = 0;
                foreach (var window in entry.Value.EnumerateArray())
                {
                    string where = $"{path}: {entry.Name} window {index++}";
                    if (window.ValueKind != JsonValueKind.Array || window.GetArrayLength() != 2)
                    {
                        throw new NabCorpusException($"{where}: expected [start, end]");
                    }

                    var start = ParseTime(window[0].GetString() ?? string.Empty, where);
                    var end = ParseTime(window[1].GetString() ?? string.Empty, where);
                    windows.Add((start, end));
                }

                labels[entry.Name] = windows;
            }

            return labels;
        }
    }

    private static NabSeries ReadSeries(string root, string name, List<(DateTime Start, DateTime End)> labelled, string labelPath)
    {
        string path = Path.Combine(root, name);
        IReadOnlyList<TimeSeriesRow> rows;
        try
        {
            rows = TimeSeriesCsv.ReadFile(path);
        }
        catch (TimeSeriesCsvException ex)
        {
            throw new NabCorpusException(ex.Message, ex);
        }

        var times = rows.Select((r, i) => ParseTime(r.Timestamp, $"{path} row {i + 1}")).ToArray();
        var windows = new List<(int, int)>();
        foreach (var (start, end) in labelled)
        {
            int first = Array.FindIndex(times, t => t >= start);
            int last = Array.FindLastIndex(times, t => t <= end);
            if (first < 0 || last < first)
            {
                throw new NabCorpusException($"{labelPath}: {name} window {start:yyyy-MM-dd HH:mm:ss} – {end:yyyy-MM-dd HH:mm:ss} holds no row of the series");
            }

            windows.Add((first, last));
        }

        return new NabSeries(name, times, rows.Select(r => r.Value).ToArray(), windows);
    }
}
