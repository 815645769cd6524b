using System.Diagnostics;
using System.Globalization;

namespace Predictor.Tests.Cli;

/// <summary>Runs the built <c>predictor</c> as a process, as a user would.</summary>
public sealed class DetectCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("predictor-detect-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int Code, string Stderr)> Predictor(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "predictor.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stderr);
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Detect_IidSpikeOnSeriesWithSpike_WritesOneRowPerPointAndAlertsAtTheSpike()
    {
        var random = new Random(4);
        var lines = Enumerable.Range(0, 300).Select(i => $"t{i},{(i == 250 ? 80 : 50 + random.NextDouble()).ToString(CultureInfo.InvariantCulture)}");
        string input = Write("in.csv", "timestamp,value\n" + string.Join('\n', lines) + "\n");
        string output = Path.Combine(_dir, "out.csv");

        var (code, stderr) = await Predictor("detect", "--method", "iid-spike", "--input", input, "--out", output);

        Assert.Equal(0, code);
        Assert.Equal($"detect: iid-spike over 300 points, 1 alerts, written to {output}\n", stderr);
        var rows = File.ReadAllLines(output);
        Assert.Equal("timestamp,value,score,alert", rows[0]);
        Assert.Equal(301, rows.Length);
        Assert.StartsWith("t250,80,0.99999999", rows[251], StringComparison.Ordinal);
        Assert.EndsWith(",1", rows[251], StringComparison.Ordinal);
        Assert.Single(rows, r => r.EndsWith(",1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Detect_MalformedValue_ExitsWith2NamingLineAndColumn()
    {
        string input = Write("bad.csv", "timestamp,value\nt1,1\nt2,x\n");

        var (code, stderr) = await Predictor("detect", "--method", "sr", "--input", input, "--out", Path.Combine(_dir, "o.csv"));

        Assert.Equal(2, code);
        Assert.Equal($"detect: {input} line 3, column 2 (value): expected a finite number, got 'x'\n", stderr);
    }

    [Fact]
    public async Task Detect_InvalidDetectorOptions_ExitsWith2ListingEveryError()
    {
        string input = Write("in.csv", "t1,1\n");

        var (code, stderr) = await Predictor("detect", "--method", "sr", "--input", input, "--out", Path.Combine(_dir, "o.csv"), "--threshold", "2", "--judgement-window-size", "100");

        Assert.Equal(2, code);
        Assert.Equal("detect: JudgementWindowSize must be in [1, WindowSize = 64], got 100; Threshold must be in [0, 1], got 2\n", stderr);
    }

    [Fact]
    public async Task Detect_MissingInput_ExitsWith2()
    {
        string missing = Path.Combine(_dir, "missing.csv");

        var (code, stderr) = await Predictor("detect", "--method", "sr", "--input", missing, "--out", Path.Combine(_dir, "o.csv"));

        Assert.Equal(2, code);
        Assert.Equal($"detect: input file '{missing}' does not exist\n", stderr);
    }

    [Fact]
    public async Task Detect_EntireSrWithMargin_WritesBoundaryColumns()
    {
        var lines = Enumerable.Range(0, 200).Select(i => $"t{i},{(100 + (10 * Math.Sin(i / 5.0)) + (i == 120 ? 40 : 0)).ToString(CultureInfo.InvariantCulture)}");
        string input = Write("in.csv", string.Join('\n', lines));
        string output = Path.Combine(_dir, "out.csv");

        var (code, _) = await Predictor("detect", "--method", "sr", "--entire", "--detect-mode", "anomaly-and-margin", "--input", input, "--out", output);

        Assert.Equal(0, code);
        var rows = File.ReadAllLines(output);
        Assert.Equal("timestamp,value,score,alert,expected_value,upper_boundary,lower_boundary", rows[0]);
        Assert.EndsWith(",1", rows[121].Split(',')[..4].Aggregate((a, b) => a + "," + b), StringComparison.Ordinal);
    }
}
