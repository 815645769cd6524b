using System.Globalization;
using System.Text;
using System.Text.Json;
using Predictor.Learning.TimeSeries;
using Predictor.Learning.TimeSeries.Evaluation;
using Predictor.Learning.TimeSeries.SpectralResidual;
using Xunit.Abstractions;

namespace Predictor.Learning.Tests.TimeSeries;

/// <summary>
/// The detectors with ML.NET defaults on NAB's machine-temperature series and its four labelled failure windows.
/// Run with <c>dotnet test tests/Predictor.Learning.Tests --filter NabEvaluation --logger "console;verbosity=detailed"</c>
/// to print the table.
/// </summary>
public sealed class NabEvaluationTests(ITestOutputHelper output)
{
    private static readonly string[] Formats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.ffffff"];

    internal static string RepositoryFile(params string[] parts)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Predictor.sln")))
        {
            dir = dir.Parent;
        }

        Assert.True(dir is not null, "Predictor.sln not found above the test binaries; run the tests from the repository.");
        return Path.Combine([dir!.FullName, .. parts]);
    }

    private static DateTimeOffset Parse(string text) =>
        DateTimeOffset.ParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static (DateTimeOffset[] Times, double[] Values, LabelledWindow[] Windows) Load()
    {
        var rows = TimeSeriesCsv.ReadFile(RepositoryFile("data", "nab", "corpus", "realKnownCause", "machine_temperature_system_failure.csv"));
        using var json = JsonDocument.Parse(File.ReadAllText(RepositoryFile("data", "nab", "label_windows.json")));
        var windows = json.RootElement.GetProperty("machine_temperature_system_failure.csv").EnumerateArray()
            .Select(w => new LabelledWindow(Parse(w[0].GetString()!), Parse(w[1].GetString()!)))
            .ToArray();
        return (rows.Select(r => Parse(r.Timestamp)).ToArray(), rows.Select(r => r.Value).ToArray(), windows);
    }

    [Fact]
    public void NabEvaluation_MachineTemperature_DetectorsCatchFailureWindows()
    {
        var (times, values, windows) = Load();
        Assert.Equal(22695, values.Length);
        Assert.Equal(4, windows.Length);

        var results = new List<(string Method, WindowEvaluationResult Result)>();
        foreach (var (name, method) in SeriesDetection.MethodNames)
        {
            var alerts = SeriesDetection.Run(SeriesDetection.CreateDefault(method), values).Select(s => s.Alert).ToArray();
            results.Add((name, WindowEvaluation.Evaluate(times, alerts, windows, TimeSpan.FromHours(1))));
        }

        var entire = SrCnnEntireDetector.Detect(values, new SrCnnEntireOptions()).Select(p => p.IsAnomaly).ToArray();
        results.Add(("sr --entire", WindowEvaluation.Evaluate(times, entire, windows, TimeSpan.FromHours(1))));

        output.WriteLine(Table(results));

        var byMethod = results.ToDictionary(r => r.Method, r => r.Result);
        foreach (string method in new[] { "sr", "iid-spike", "iid-changepoint", "ssa-spike", "sr --entire" })
        {
            Assert.True(byMethod[method].DetectedWindows >= 3, method + "\n" + Table(results));
        }

        Assert.True(byMethod["iid-changepoint"].FalseAlarmEpisodes <= 30, Table(results));
        Assert.True(byMethod["sr --entire"].FalseAlarmEpisodes <= 30, Table(results));
        // The last window ends in the catastrophic failure: some detector must catch it.
        Assert.Contains(results, r => r.Result.Windows[3].Detected);
    }

    private static string Table(List<(string Method, WindowEvaluationResult Result)> results)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| method | windows detected | first alert after window start (h), per window | false-alarm points | false-alarm episodes (1 h) |");
        sb.AppendLine("|---|---|---|---|---|");
        foreach (var (method, result) in results)
        {
            string leads = string.Join(" / ", result.Windows.Select(w => w.AfterStart is { } t ? t.TotalHours.ToString("0.0", CultureInfo.InvariantCulture) : "–"));
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {method} | {result.DetectedWindows}/4 | {leads} | {result.FalseAlarmPoints} | {result.FalseAlarmEpisodes} |");
        }

        return sb.ToString();
    }
}
