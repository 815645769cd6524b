using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Predictor.Daemon.Client;

namespace Predictor.IntegrationTests.Ha;

/// <summary>
/// Two daemons in one process sharing a real PostgreSQL: one leads, the other refuses changes naming it, both show who
/// leads in <c>/api/v1/status</c> (and <c>predictor status</c>); what the leader decided (a pause) is the standby's too, and
/// survives the leader's clean stop, after which the standby takes over at once.
/// </summary>
public sealed class SharedStateApiTests(PostgresServerFixture postgres) : InProcessDaemons, IClassFixture<PostgresServerFixture>
{
    [Fact]
    public async Task Status_TwoDaemonsOneDatabase_OneLeadsTheStandbyRefusesChangesNamingItAndTakesOverWhenItStops()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        var (a, aUrl) = await StartAsync("a", database);
        await WaitForAsync(a, ha => ha.GetProperty("role").GetString() == "leader");
        var (b, _) = await StartAsync("b", database);
        await WaitForAsync(b, ha => ha.GetProperty("leader").GetString() == "a");

        var refused = await PostAsync(b, "/api/v1/pause", "{\"reason\": \"change freeze\"}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
        Assert.Equal($"this daemon (b) is a standby and does not act; the leader is a ({aUrl}): send the request there", refused.Body.GetProperty("error").GetString());
        Assert.Equal(aUrl.ToString(), refused.Body.GetProperty("leaderUrl").GetString());
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(a, "/api/v1/pause", "{\"reason\": \"change freeze\"}")).Status);

        // the standby reads the shared state at every pass: the leader's pause is its own
        var standby = await WaitForStatusAsync(b, s => s.GetProperty("automation").GetProperty("state").GetString() == "paused");
        var view = ApiView.Status(standby);
        Assert.Contains("role             standby (b); the leader is a at " + aUrl, view, StringComparison.Ordinal);
        Assert.Matches(@"lease            fencing token 1, renewed \d+\.\d s ago, expires in \d+\.\d s, held for \d+\.\d s\n", view);
        Assert.Contains("automation       paused (change freeze)", view, StringComparison.Ordinal);
        var leader = await a.GetFromJsonAsync<JsonElement>("/api/v1/status");
        Assert.Equal(("shared", "leader", "a", 1L), (leader.GetProperty("ha").GetProperty("mode").GetString(), leader.GetProperty("ha").GetProperty("role").GetString(),
            leader.GetProperty("ha").GetProperty("leader").GetString(), leader.GetProperty("ha").GetProperty("fencingToken").GetInt64()));

        // a clean stop hands over at once, and the pause outlives its leader
        await Apps[0].StopAsync();
        var taken = await WaitForStatusAsync(b, s => s.GetProperty("ha").GetProperty("role").GetString() == "leader");
        Assert.Equal(("b", 2L), (taken.GetProperty("ha").GetProperty("leader").GetString(), taken.GetProperty("ha").GetProperty("fencingToken").GetInt64()));
        Assert.Equal("paused", (await WaitForStatusAsync(b, s => s.GetProperty("automation").GetProperty("state").GetString() == "paused")).GetProperty("automation").GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(b, "/api/v1/resume", null)).Status);
    }

    private static Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient http, string path, string? body) =>
        SendAsync(http, HttpMethod.Post, path, body);

    private static async Task WaitForAsync(HttpClient http, Func<JsonElement, bool> ha) =>
        await WaitForStatusAsync(http, s => ha(s.GetProperty("ha")));
}
