using System.Diagnostics;
using Predictor.IntegrationTests.Support;

namespace Predictor.IntegrationTests.Metrics;

/// <summary>The daemon's <c>/metrics</c> as Prometheus reads it: checked by the real <c>promtool</c> (Debian package prometheus).</summary>
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_RunningDaemon_PassesPromtoolAndCountsPassesAndSteps()
    {
        await using var daemon = await RunningDaemon.StartAsync();

        var text = "";
        await RunningDaemon.WaitUntilAsync(async () =>
        {
            text = await daemon.Http.GetStringAsync("metrics");
            return text.Contains("predictor_daemon_steps_total{", StringComparison.Ordinal) && text.Contains("predictor_daemon_passes_total ", StringComparison.Ordinal);
        });
        using var response = await daemon.Http.GetAsync("metrics");

        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Contains("# TYPE predictor_daemon_steps_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE predictor_daemon_vm_blackout_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE predictor_daemon_hosts_quarantined gauge", text, StringComparison.Ordinal);
        var (exit, output) = await PromtoolCheckAsync(text);
        Assert.True(exit == 0, $"promtool check metrics failed ({exit}):\n{output}");
    }

    private static async Task<(int Exit, string Output)> PromtoolCheckAsync(string metrics)
    {
        var path = new[] { "/usr/bin/promtool", "/usr/local/bin/promtool" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("promtool was not found: install the Debian package 'prometheus' (deploy/dev/install-deps.sh does).");
        using var process = Process.Start(new ProcessStartInfo(path, "check metrics")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        await process.StandardInput.WriteAsync(metrics);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
