using Predictor.Core.Inventory;

namespace Predictor.Tests.Cli;

[Collection(ConsoleCollection.Name)]
public sealed class SimulateCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "predictor-simulate-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Simulate_SmallRun_WritesParseableFiles()
    {
        var (code, stdout, stderr) = await CliConsole.RunAsync("simulate", "--hosts", "20", "--days", "0.5", "--seed", "3", "--interval", "15m",
            "--failures-per-host-year", "800", "--out", _dir);

        Assert.Equal(0, code);
        Assert.Contains("simulate: telemetry 100%", stderr, StringComparison.Ordinal);
        Assert.StartsWith("Wrote ", stdout, StringComparison.Ordinal);
        var inventory = InventoryJson.ReadFile(Path.Combine(_dir, "inventory.json"));
        Assert.Equal(20, inventory.Hosts.Length);
        Assert.Equal("dc1", inventory.Datacenter);
        var labels = File.ReadAllLines(Path.Combine(_dir, "labels.csv"));
        Assert.Equal("host,fails_at,component,cause,precursor_start", labels[0]);
        Assert.True(labels.Length > 1, "800 failures per host-year over half a day should fail some of 20 hosts");
        var telemetry = File.ReadLines(Path.Combine(_dir, "telemetry.lp")).ToList();
        Assert.All(telemetry, line => Assert.Matches(@"^(smart|memory|host|fan|psu|nic),host=h\d{4}(,\w+=\w+)? \S+ \d{10}$", line));
        Assert.Contains(telemetry, line => line.StartsWith("smart,host=h0001,disk=sda smart_5_raw=", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(_dir, "updates.csv")));
    }

    [Fact]
    public async Task Simulate_ZeroDays_InventoryOnly()
    {
        var (code, _, _) = await CliConsole.RunAsync("simulate", "--hosts", "50", "--vms-per-host", "10", "--days", "0", "--out", _dir);

        Assert.Equal(0, code);
        Assert.Equal(50, InventoryJson.ReadFile(Path.Combine(_dir, "inventory.json")).Hosts.Length);
        Assert.Equal(0, new FileInfo(Path.Combine(_dir, "telemetry.lp")).Length);
    }

    [Fact]
    public async Task Simulate_BadOptions_ListsEveryErrorAndExits2()
    {
        var (code, _, stderr) = await CliConsole.RunAsync("simulate", "--hosts", "0", "--interval", "5x", "--no-warning-share", "2", "--days", "-1", "--out", _dir);

        Assert.Equal(2, code);
        Assert.Equal(
            "predictor simulate: invalid options (4):\n" +
            "  --interval: '5x' is not a duration; expected a number with a unit s, m, h or d, e.g. 5m.\n" +
            "  --days must be between 0 and 3660, got -1.\n" +
            "  --hosts must be between 1 and 1000000, got 0.\n" +
            "  --no-warning-share must be between 0 and 1, got 2.\n",
            stderr.ReplaceLineEndings("\n"));
        Assert.False(Directory.Exists(_dir));
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}

/// <summary>Tests that redirect the process-wide console run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "Console";
}
