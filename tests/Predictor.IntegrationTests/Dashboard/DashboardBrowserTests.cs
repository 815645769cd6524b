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
    public async Task Dashboard_InChromium_ShowsTheDaemonsAtRiskHostsAndSteps()
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
        var dom = await RenderAsync(daemon.Url.ToString());

        Assert.Equal("running", Element(dom, "automation"));
        Assert.Matches(@"^2026-\d\d-\d\d \d\d:\d\d:\d\dZ$", Element(dom, "now"));
        Assert.Equal("", Element(dom, "banner")); // the error banner stays empty: every API call answered
        var table = Regex.Match(dom, "<table id=\"at-risk\">(.*?)</table>", RegexOptions.Singleline).Groups[1].Value;
        // hosts stay flagged once flagged, so every host the API listed before rendering is in the table
        Assert.All(atRisk, host => Assert.Contains($"<td>{host}</td>", table, StringComparison.Ordinal));
        // when the failure is expected: the end of the assessor's horizon (or its predicted time), never a blank
        Assert.Matches(@"<td class=""num"">(by|at) 2026-\d\d-\d\d \d\d:\d\d:\d\dZ</td>", table);
        var steps = Regex.Match(dom, "<table id=\"steps\">(.*?)</table>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Matches("<td class=\"(ok|bad)\">(ok|failed)</td>", steps);
    }

    /// <summary>Loads the page in headless chromium, lets its script run, and returns the resulting DOM.</summary>
    private static async Task<string> RenderAsync(string url)
    {
        var profile = Directory.CreateTempSubdirectory("predictor-chromium-");
        try
        {
            using var browser = new ServerProcess("chromium",
                $"--headless --no-sandbox --disable-gpu --no-first-run --user-data-dir={profile.FullName} --virtual-time-budget=5000 --dump-dom {url}", "chromium");
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
