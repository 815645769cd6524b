using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
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
        var (exit, output) = await PromtoolAsync("check metrics", text);
        Assert.True(exit == 0, $"promtool check metrics failed ({exit}):\n{output}");
        await CheckGrafanaDashboardAsync(text);
    }

    /// <summary>
    /// deploy/prometheus's alerts on the daemon itself: valid rules, green promtool unit tests, and every metric they
    /// query exported by a daemon that pushes through a spool (so the spool's gauges exist too).
    /// </summary>
    [Fact]
    public async Task Rules_DeployedAlertsOnTheDaemon_PassPromtoolAndQueryOnlyExportedMetrics()
    {
        var directory = Path.Combine(RepositoryRoot(), "deploy/prometheus");
        var rules = Path.Combine(directory, "predictor-rules.yml");
        var (exit, output) = await PromtoolAsync($"check rules {rules}", "");
        Assert.True(exit == 0, $"promtool check rules failed ({exit}):\n{output}");
        (exit, output) = await PromtoolAsync($"test rules {Path.Combine(directory, "predictor-rules_test.yml")}", "");
        Assert.True(exit == 0, $"promtool test rules failed ({exit}):\n{output}");

        var spool = Directory.CreateTempSubdirectory("predictor-rules-spool-");
        try
        {
            await using var daemon = await RunningDaemon.StartAsync(
                "--Telemetry:Source=Push", "--Push:Tokens:0=metrics-push-token", "--Push:Forward=true", $"--Spool:Directory={spool.FullName}", "--Influx:BaseAddress=http://127.0.0.1:9/");
            var text = "";
            await RunningDaemon.WaitUntilAsync(async () =>
            {
                text = await daemon.Http.GetStringAsync("metrics");
                return text.Contains("predictor_daemon_passes_total ", StringComparison.Ordinal);
            });
            var exported = Regex.Matches(text, "^# TYPE (\\S+) ", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
            var queried = Regex.Matches(await File.ReadAllTextAsync(rules), "predictor_[a-z0-9_]+").Select(m => m.Value).Distinct().ToList();
            Assert.NotEmpty(queried);
            Assert.All(queried, name => Assert.True(exported.Contains(name), $"the rules query {name}, which the daemon does not export"));
        }
        finally
        {
            spool.Delete(recursive: true);
        }
    }

    /// <summary>
    /// deploy/grafana's dashboard queries only metrics the daemon exports, and every query is valid PromQL
    /// (promtool checks them as recording rules).
    /// </summary>
    private static async Task CheckGrafanaDashboardAsync(string scrape)
    {
        var exported = Regex.Matches(scrape, "^# TYPE (\\S+) ", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "deploy/grafana/predictor-dashboard.json")));
        var panels = dashboard.RootElement.GetProperty("panels").EnumerateArray().ToList();
        Assert.Equal(panels.Count, panels.Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());
        var rules = new StringBuilder("groups:\n- name: dashboard\n  rules:\n");
        foreach (var panel in panels)
        {
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                var expr = target.GetProperty("expr").GetString()!;
                foreach (Match metric in Regex.Matches(expr, "predictor_[a-z0-9_]+"))
                {
                    var name = Regex.Replace(metric.Value, "_(bucket|sum|count)$", "");
                    Assert.True(exported.Contains(name), $"panel '{panel.GetProperty("title").GetString()}' queries {metric.Value}, which the daemon does not export");
                }

                rules.Append("  - record: dashboard:panel_").Append(panel.GetProperty("id").GetInt32()).Append('_').Append(target.GetProperty("refId").GetString())
                    .Append("\n    expr: ").Append(JsonSerializer.Serialize(expr)).Append('\n');
            }
        }

        var file = Path.Combine(Path.GetTempPath(), $"predictor-dashboard-rules-{Guid.NewGuid():N}.yml");
        await File.WriteAllTextAsync(file, rules.ToString());
        try
        {
            var (exit, output) = await PromtoolAsync($"check rules {file}", "");
            Assert.True(exit == 0, $"the dashboard's queries are not valid PromQL ({exit}):\n{output}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string RepositoryRoot()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Predictor.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("the repository root (Predictor.sln) was not found above the test binaries");
        }

        return root;
    }

    private static async Task<(int Exit, string Output)> PromtoolAsync(string arguments, string input)
    {
        var path = new[] { "/usr/bin/promtool", "/usr/local/bin/promtool" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("promtool was not found: install the Debian package 'prometheus' (deploy/dev/install-deps.sh does).");
        using var process = Process.Start(new ProcessStartInfo(path, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
