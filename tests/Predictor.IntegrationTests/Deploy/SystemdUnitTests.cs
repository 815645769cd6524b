using System.Diagnostics;

namespace Predictor.IntegrationTests.Deploy;

/// <summary>The shipped systemd units, checked by systemd's own verifier.</summary>
public sealed class SystemdUnitTests
{
    [Fact]
    public async Task PredictorService_SystemdAnalyzeVerify_ReportsNothing()
    {
        var unit = await File.ReadAllTextAsync(Path.Combine(Root(), "deploy/systemd/predictor.service"));
        Assert.Contains("ExecStart=/opt/predictor/predictor run --config /etc/predictor/predictor.json\n", unit, StringComparison.Ordinal);

        await VerifyAsync(unit, "predictor.service");
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
        await VerifyAsync(unit, "predictor@dc1.service");
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

    private static async Task VerifyAsync(string unit, string name)
    {
        // the verifier checks that the executable exists: point it at one that does
        var dir = Directory.CreateTempSubdirectory("predictor-unit-");
        try
        {
            var path = Path.Combine(dir.FullName, name);
            await File.WriteAllTextAsync(path, unit.Replace("/opt/predictor/predictor", "/bin/true", StringComparison.Ordinal));
            var verifier = new[] { "/usr/bin/systemd-analyze", "/bin/systemd-analyze" }.FirstOrDefault(File.Exists)
                ?? throw new InvalidOperationException("systemd-analyze was not found: install the Debian package 'systemd' (deploy/dev/install-deps.sh does).");
            using var process = Process.Start(new ProcessStartInfo(verifier, ["verify", path]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();

            // unknown or misspelt keys are only warned about (exit 0), so the output must be empty too
            Assert.True(process.ExitCode == 0 && !output.Contains(name, StringComparison.Ordinal), $"systemd-analyze verify {name}: exit {process.ExitCode}\n{output}");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
