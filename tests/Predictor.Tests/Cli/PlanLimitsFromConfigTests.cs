using System.Text.Json;

namespace Predictor.Tests.Cli;

/// <summary><c>predictor plan</c> plans under the daemon's Limits:* — its defaults, or those of the daemon's configuration file.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class PlanLimitsFromConfigTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("predictor-plan-limits-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Plan_NoLimitOptions_UsesTheDaemonsDefaultsOrItsConfigurationFile()
    {
        var inventory = Path.Combine(Predictor.Testing.Repository.Root, "deploy", "qemu", "inventory.sample.json");
        var config = Path.Combine(_directory, "predictor.json");
        await File.WriteAllTextAsync(config, """{ "Limits": { "CpuOvercommit": 1.5, "MaxConcurrent": 8 } }""");

        var defaults = await PlanAsync(inventory, "defaults.json");
        var configured = await PlanAsync(inventory, "configured.json", "--config", config);
        var overridden = await PlanAsync(inventory, "overridden.json", "--config", config, "--max-concurrent", "3");

        Assert.Equal((2.0, 64), defaults);
        Assert.Equal((1.5, 8), configured);
        Assert.Equal((1.5, 3), overridden);
    }

    private async Task<(double CpuOvercommit, int MaxConcurrent)> PlanAsync(string inventory, string name, params string[] extra)
    {
        var output = Path.Combine(_directory, name);
        var (code, _, stderr) = await CliConsole.RunAsync(["plan", "--inventory", inventory, "--at-risk-fraction", "0.3", "--seed", "2", "--out", output, .. extra]);
        Assert.True(code is 0 or 1, stderr);
        using var plan = JsonDocument.Parse(await File.ReadAllTextAsync(output));
        var limits = plan.RootElement.GetProperty("limits");
        return (limits.GetProperty("cpuOvercommit").GetDouble(), limits.GetProperty("maxConcurrent").GetInt32());
    }
}
