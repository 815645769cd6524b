using Predictor.Daemon.Outcomes;
using Predictor.Daemon.Retraining;
using Predictor.Learning.Lifecycle;
using Predictor.Testing.Outcomes;

namespace Predictor.Tests.Cli;

/// <summary><c>predictor outcomes import</c>, <c>dataset --from-log</c> and <c>retrain</c> as an operator or a timer runs them.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class LifecycleCommandsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("predictor-lifecycle-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string InDirectory(string name) => Path.Combine(_directory, name);

    [Fact]
    public async Task OutcomesImport_TicketExport_IsImportedOnce_AndABadFileNamesItsLinesAndImportsNothing()
    {
        var log = InDirectory("outcomes.db");
        await File.WriteAllTextAsync(InDirectory("rma.csv"), "host,time,component,cause,source\nh0001,2026-01-05T10:00:00Z,disk:sdb,disk-media,RMA\nh0002,2026-01-06T10:00:00Z,dimm:A3,,\n");
        await File.WriteAllTextAsync(InDirectory("bad.csv"), "host,time\nh0003,2026-01-06T10:00:00Z\nh0004,soon\n");

        var first = await CliConsole.RunAsync("outcomes", "import", "--csv", InDirectory("rma.csv"), "--log", log);
        var second = await CliConsole.RunAsync("outcomes", "import", "--csv", InDirectory("rma.csv"), "--log", log);
        var bad = await CliConsole.RunAsync("outcomes", "import", "--csv", InDirectory("bad.csv"), "--log", log);

        Assert.Equal((0, $"Imported 2 outcomes into {log} (0 already there)\n"), (first.Code, first.Stdout));
        Assert.Equal($"Imported 0 outcomes into {log} (2 already there)\n", second.Stdout);
        Assert.Equal(2, bad.Code);
        Assert.Equal($"predictor outcomes import: {InDirectory("bad.csv")} is invalid (1 error):\n  {InDirectory("bad.csv")}:3: field 'time' is not an ISO 8601 time with a zone (got 'soon'; expected e.g. 2026-01-05T10:00:00Z)\n", bad.Stderr);
        using var reader = new SqliteOutcomeLog(log);
        Assert.Equal(["RMA", "rma"], reader.Outcomes().Select(o => o.Source));
    }

    [Fact]
    public async Task Dataset_FromLog_WritesTheLabelledRows_AndRefusesTwoSources()
    {
        var log = InDirectory("outcomes.db");
        using (var writer = new SqliteOutcomeLog(log))
        {
            SyntheticHostHistory.Write(writer, hosts: 6, days: 5);
        }

        var (code, stdout, stderr) = await CliConsole.RunAsync("dataset", "--from-log", log, "--horizon", "48h", "--out", InDirectory("rows.csv"));
        var both = await CliConsole.RunAsync("dataset", "--from-log", log, "--from-influx", "http://127.0.0.1:1/", "--out", InDirectory("x.csv"));

        Assert.True(code == 0, stderr);
        var rows = await File.ReadAllLinesAsync(InDirectory("rows.csv"));
        Assert.Equal(Predictor.Daemon.Datasets.LabelledDataset.Header, rows[0]);
        // rows whose 48 h were observed run to 72 h; h000 fails at 72 h, so its last row is positive
        Assert.StartsWith($"Wrote {InDirectory("rows.csv")}: {rows.Length - 1} rows, ", stdout, StringComparison.Ordinal);
        Assert.Contains(",1", rows[1..].Where(r => r.StartsWith("h000,", StringComparison.Ordinal)).Last(), StringComparison.Ordinal);
        Assert.Equal(2, both.Code);
        Assert.Contains("predictor dataset: give exactly one of --from-log and --from-influx", both.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retrain_FromTheConfiguredLog_PromotesThenKeeps_AndTheKeptExitCodeCanBeZeroForKubernetes()
    {
        using (var writer = new SqliteOutcomeLog(InDirectory(OutcomeLogOptions.DefaultFileName)))
        {
            SyntheticHostHistory.Write(writer);
        }

        // the daemon's configuration names the journal (the log is beside it), the registry and no model: nothing to beat yet
        var config = InDirectory("predictor.json");
        await File.WriteAllTextAsync(config, $$"""
            {"Executor": {"JournalPath": "{{InDirectory("predictor-journal.db")}}"}, "Risk": {"ModelPath": "", "RegistryPath": "{{InDirectory("registry")}}"} }
            """);

        var promoted = await CliConsole.RunAsync("retrain", "--config", config, "--threads", "2");
        var kept = await CliConsole.RunAsync("retrain", "--config", config, "--threads", "2");
        var keptForKubernetes = await CliConsole.RunAsync("retrain", "--config", config, "--threads", "2", "--dry-run", "--kept-exit-code", "0");
        var bad = await CliConsole.RunAsync("retrain", "--config", config, "--test-span", "a week", "--budget", "-1");

        Assert.True(promoted.Code == RetrainExitCodes.Promoted, promoted.Stdout + promoted.Stderr);
        Assert.Contains("challenger v0001: promoted", promoted.Stdout, StringComparison.Ordinal);
        Assert.Equal(RetrainExitCodes.KeptChampion, kept.Code);
        Assert.Contains("challenger v0002: not promoted; the champion stays", kept.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, keptForKubernetes.Code);
        Assert.Contains("challenger (dry run): not promoted; the champion stays", keptForKubernetes.Stdout, StringComparison.Ordinal);
        Assert.Equal((2, "predictor retrain: --test-span 'a week' is not a positive duration\npredictor retrain: --budget must be 0 or more (got -1)\n"), (bad.Code, bad.Stderr));
        Assert.Equal("v0001", new ModelRegistry(InDirectory("registry")).Promoted()!.Id);
    }
}
