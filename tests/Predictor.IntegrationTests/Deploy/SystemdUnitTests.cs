using System.Diagnostics;

namespace Predictor.IntegrationTests.Deploy;

/// <summary>The shipped systemd units (the daemon, its template for two machines, the retraining service and its timer), checked by systemd's own verifier.</summary>
public sealed class SystemdUnitTests
{
    [Fact]
    public async Task PredictorService_SystemdAnalyzeVerify_ReportsNothing()
    {
        var unit = await File.ReadAllTextAsync(Path.Combine(Root(), "deploy/systemd/predictor.service"));
        Assert.Contains("ExecStart=/opt/predictor/predictor run --config /etc/predictor/predictor.json\n", unit, StringComparison.Ordinal);
        await VerifyAsync("predictor.service");
    }

    [Fact]
    public async Task PredictorTemplate_OneDatacenterOnTwoMachines_SystemdAnalyzeVerifyReportsNothing()
    {
        var unit = await File.ReadAllTextAsync(Path.Combine(Root(), "deploy/systemd/predictor@.service"));
        Assert.Contains("ExecStart=/opt/predictor/predictor run --config /etc/predictor/%i.json\n", unit, StringComparison.Ordinal);
        // the connection string as a credential (never in the JSON); each machine named by its host name in the lease
        Assert.Contains("LoadCredential=Ha__ConnectionString:/etc/predictor/secrets/%i-postgres\n", unit, StringComparison.Ordinal);
        Assert.Contains("Environment=PREDICTOR_Ha__NodeId=%H\n", unit, StringComparison.Ordinal);

        // an instance of the template, as systemctl enable predictor@dc1 makes it
        await VerifyAsync(("predictor@.service", "predictor@dc1.service"));
    }

    [Fact]
    public async Task RetrainServiceAndTimer_SystemdAnalyzeVerify_ReportsNothing_AndKeepingTheChampionIsASuccess()
    {
        var unit = await File.ReadAllTextAsync(Path.Combine(Root(), "deploy/systemd/predictor-retrain.service"));
        Assert.Contains("Type=oneshot\n", unit, StringComparison.Ordinal);
        Assert.Contains("ExecStart=/opt/predictor/predictor retrain --config /etc/predictor/predictor.json\n", unit, StringComparison.Ordinal);
        Assert.Contains("SuccessExitStatus=3\n", unit, StringComparison.Ordinal); // RetrainExitCodes.KeptChampion
        Assert.Equal(3, Predictor.Daemon.Retraining.RetrainExitCodes.KeptChampion);
        await VerifyAsync("predictor-retrain.service", "predictor-retrain.timer");
    }

    /// <summary>Runs <c>systemd-analyze verify</c> on copies of the units (the executable pointed at one that exists).</summary>
    private static Task VerifyAsync(params string[] units) => VerifyAsync([.. units.Select(u => (u, u))]);

    /// <summary>As above, each unit file saved under the name given (an instance name for a template).</summary>
    private static async Task VerifyAsync(params (string File, string Name)[] units)
    {
        var dir = Directory.CreateTempSubdirectory("predictor-unit-");
        try
        {
            var paths = new List<string>();
            foreach (var (file, name) in units)
            {
                var path = Path.Combine(dir.FullName, name);
                var text = await File.ReadAllTextAsync(Path.Combine(Root(), "deploy/systemd", file));
                await File.WriteAllTextAsync(path, text.Replace("/opt/predictor/predictor", "/bin/true", StringComparison.Ordinal));
                paths.Add(path);
            }

            var verifier = new[] { "/usr/bin/systemd-analyze", "/bin/systemd-analyze" }.FirstOrDefault(File.Exists)
                ?? throw new InvalidOperationException("systemd-analyze was not found: install the Debian package 'systemd' (deploy/dev/install-deps.sh does).");
            using var process = Process.Start(new ProcessStartInfo(verifier, ["verify", .. paths]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();

            // unknown or misspelt keys are only warned about (exit 0), so the output must be empty too
            Assert.True(process.ExitCode == 0 && !units.Any(u => output.Contains(u.Name, StringComparison.Ordinal)), $"systemd-analyze verify: exit {process.ExitCode}\n{output}");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static string Root()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Predictor.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("the repository root (Predictor.sln) was not found above the test binaries");
        }

        return root;
    }
}
