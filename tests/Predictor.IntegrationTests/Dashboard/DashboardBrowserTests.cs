using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Predictor.IntegrationTests.Support;

namespace Predictor.IntegrationTests.Dashboard;

/// <summary>
/// The dashboard rendered by a real browser (Debian's chromium, headless) against a running daemon on the
/// embedded default: the page's script must fetch the API and fill in what the API says.
/// </summary>
public sealed class DashboardBrowserTests
{
    [Fact]
    public async Task Dashboard_InChromium_ShowsTheDaemonsAtRiskHostsStepsFleetPlanLadderAndModel()
    {
        await using var daemon = await RunningDaemon.StartAsync();

        // the first passes flag hosts and start evacuations; wait until the API has both to show
        string[] atRisk = [];
        await RunningDaemon.WaitUntilAsync(async () =>
        {
            var risk = await daemon.Http.GetFromJsonAsync<JsonElement>("api/v1/at-risk");
            var recent = await daemon.Http.GetFromJsonAsync<JsonElement>("api/v1/steps?limit=5");
            atRisk = [.. risk.EnumerateArray().Select(h => h.GetProperty("host").GetString()!)];
            return atRisk.Length > 0 && recent.GetArrayLength() > 0;
        });

        Assert.NotEmpty(atRisk);
        var fleet = await daemon.Http.GetFromJsonAsync<JsonElement>("api/v1/fleet");
        var (dom, console) = await RenderAsync(daemon.Url.ToString());

        Assert.Empty(console); // the page logs nothing: no script error, no failed request
        Assert.Equal("running", Element(dom, "automation"));
        Assert.Equal("single", Element(dom, "role")); // the embedded default runs alone
        Assert.Equal("no standby (embedded state)", Element(dom, "role-detail"));
        Assert.Matches(@"^2026-\d\d-\d\d \d\d:\d\d:\d\dZ$", Element(dom, "now"));
        Assert.Equal("", Element(dom, "banner")); // the error banner stays empty: every API call answered
        var table = Regex.Match(dom, "<table id=\"at-risk\">(.*?)</table>", RegexOptions.Singleline).Groups[1].Value;
        // hosts stay flagged once flagged, so every host the API listed before rendering is in the table, linked to its page
        Assert.All(atRisk, host => Assert.Contains($"<td><a href=\"#/host/{host}\">{host}</a></td>", table, StringComparison.Ordinal));
        // when the failure is expected: the end of the assessor's horizon (or its predicted time), never a blank
        Assert.Matches(@"<td class=""num"">(by|at) 2026-\d\d-\d\d \d\d:\d\d:\d\dZ</td>", table);
        var steps = Regex.Match(dom, "<table id=\"steps\">(.*?)</table>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Matches("<td class=\"(ok|bad)\">(ok|failed)</td>", steps);

        // the fleet view: one link per host of the inventory, quarantined hosts drawn as such
        var hosts = fleet.GetProperty("hosts").EnumerateArray().ToList();
        Assert.Equal(hosts.Count, Regex.Matches(dom, "<a class=\"cell[^\"]*\" href=\"#/host/").Count);
        Assert.Contains($"data-host=\"{atRisk[0]}\" style=\"background: var(--q);\"", dom, StringComparison.Ordinal);
        // the plan as a timeline, the ladder by update domain, the model's card and its score histogram
        Assert.Matches("<svg [^>]*class=\"chart timeline\"", dom);
        Assert.Matches("(?s)<svg [^>]*class=\"chart timeline\".*?<rect ", dom);
        Assert.Contains("ROC AUC", dom, StringComparison.Ordinal);
        Assert.Contains("Scores of the last pass", dom, StringComparison.Ordinal);
        Assert.Matches(@"^Rungs planned: hot-patch \d+ · hot-restart \d+ · memory-preserving \d+ · self-service \d+ · live-migration \d+", Element(dom, "rungs"));
        Assert.Matches("(?s)<table id=\"ladder-table\">.*?<tbody><tr><td>0", dom); // the embedded default rolls updates out from domain 0
    }

    [Fact]
    public async Task HostPage_InChromium_ChartsTheRiskHistoryAndTheTelemetryBehindTheEvidence()
    {
        await using var daemon = await RunningDaemon.StartAsync();
        string? host = null;
        await RunningDaemon.WaitUntilAsync(async () =>
        {
            var risk = await daemon.Http.GetFromJsonAsync<JsonElement>("api/v1/at-risk");
            host = risk.EnumerateArray().Select(h => h.GetProperty("host").GetString()).FirstOrDefault();
            return host is not null;
        });
        Assert.NotNull(host);

        var (dom, console) = await RenderAsync(daemon.Url + "#/host/" + host);

        Assert.Empty(console);
        Assert.Equal($"Host {host}", Element(dom, "host-title"));
        Assert.Equal("", Element(dom, "banner"));
        var charts = Regex.Matches(dom, "<svg [^>]*>").Select(m => m.Value).Where(tag => tag.Contains("class=\"chart\"", StringComparison.Ordinal))
            .Select(tag => Regex.Match(tag, "aria-label=\"([^\"]*)\"").Groups[1].Value).ToList();
        Assert.Contains(charts, c => c.StartsWith("Risk, highest per hour, last 7 days: ", StringComparison.Ordinal));
        // each evidence series drawn over the last day and the last week, with data in it
        Assert.Contains(charts, c => Regex.IsMatch(c, @"— 24 h: \d+ points from "));
        Assert.Contains(charts, c => Regex.IsMatch(c, @"— 7 d: \d+ points from "));
        Assert.True(charts.Count >= 3, string.Join("\n", charts));
        Assert.Matches("<path d=\"M[\\d. ]+L", dom); // a line, not just an empty frame
        Assert.Contains("<table id=\"host-evidence\">", dom, StringComparison.Ordinal);
        Assert.Matches("(?s)<table id=\"host-evidence\">.*?<tbody><tr><td>", dom);

        var screenshots = Environment.GetEnvironmentVariable("PREDICTOR_SCREENSHOTS");
        if (!string.IsNullOrEmpty(screenshots))
        {
            await ScreenshotAsync(daemon.Url.ToString(), Path.Combine(screenshots, "dashboard-overview.png"), 2200);
            await ScreenshotAsync(daemon.Url + "#/host/" + host, Path.Combine(screenshots, "dashboard-host.png"), 1700);
        }
    }

    /// <summary>Loads the page in headless chromium, lets its script run, and returns the resulting DOM and whatever the page logged to its console.</summary>
    private static async Task<(string Dom, List<string> Console)> RenderAsync(string url)
    {
        var output = await ChromiumAsync($"--enable-logging=stderr --v=0 --dump-dom {url}");
        var console = output.Split('\n').Where(l => l.Contains(":CONSOLE", StringComparison.Ordinal)).ToList();
        return (output, console);
    }

    /// <summary>Writes a screenshot of the page (for README) once its script has run.</summary>
    private static async Task ScreenshotAsync(string url, string path, int height)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await ChromiumAsync($"--hide-scrollbars --window-size=1400,{height} --screenshot={path} {url}");
        Assert.True(File.Exists(path), $"chromium wrote no screenshot at {path}");
    }

    private static async Task<string> ChromiumAsync(string arguments)
    {
        var profile = Directory.CreateTempSubdirectory("predictor-chromium-");
        try
        {
            using var browser = new ServerProcess("chromium",
                $"--headless --no-sandbox --disable-gpu --no-first-run --user-data-dir={profile.FullName} --virtual-time-budget=6000 {arguments}", "chromium");
            var exit = await browser.WaitForExitAsync(TimeSpan.FromMinutes(1), "chromium");
            Assert.True(exit == 0, $"chromium exited with {exit}:\n{browser.Output}");
            return browser.Output;
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    private static string Element(string dom, string id)
    {
        var match = Regex.Match(dom, $"id=\"{id}\"[^>]*>([^<]*)<");
        Assert.True(match.Success, $"no element #{id} in the rendered page");
        return match.Groups[1].Value;
    }
}
