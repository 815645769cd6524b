using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Predictor.Core.Inventory;
using Predictor.Core.Outcomes;
using Predictor.Daemon.Ha;
using Predictor.Daemon.State.Postgres;
using Predictor.Execution.Journal;
using Predictor.Notifications.OwnerEvents;
using Predictor.Testing.Outcomes;

namespace Predictor.IntegrationTests.Ha;

/// <summary>
/// What daemons that run highly available keep besides the journal and the quarantines, on a real PostgreSQL: the outcome
/// and feature log, owners' maintenance events and an engaged kill switch survive a failover (the new leader has every
/// outcome, every owner's decision and pending event, and stays stopped), a deposed leader's late write to the log is
/// refused by the fence, and the lifecycle verbs (<c>outcomes import</c>, <c>dataset --from-log</c>) use the log in PostgreSQL
/// when the configuration names the database, as the daemon does.
/// </summary>
public sealed class SharedLifecycleFailoverTests(PostgresServerFixture postgres) : InProcessDaemons, IClassFixture<PostgresServerFixture>
{
    [Fact]
    public async Task Failover_NewLeader_KeepsTheOutcomeLogOwnersDecisionsAndTheKillSwitch_AndTheOldLeadersLateWriteIsFenced()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        var (a, _) = await StartAsync("a", database);
        await WaitForStatusAsync(a, s => s.GetProperty("ha").GetProperty("role").GetString() == "leader");
        var (b, _) = await StartAsync("b", database);
        await WaitForStatusAsync(b, s => s.GetProperty("ha").GetProperty("leader").GetString() == "a");
        var leader = Apps[0].Services;
        var host = leader.GetRequiredService<IDatacenter>().Inventory().Hosts.First(h => h.State == HostState.Active).Id;

        // on the leader: an operator's outcome, two owner events (one approved, one pending), the kill switch
        var failed = await SendAsync(a, HttpMethod.Post, $"/api/v1/hosts/{host}/failed", """{"at": "2026-01-04T10:00:00Z", "component": "disk:sdb", "cause": "disk-media", "source": "ticket"}""");
        Assert.True(failed.Status == HttpStatusCode.OK, failed.Body.ToString());
        var events = leader.GetRequiredService<MaintenanceEventStore>();
        var now = leader.GetRequiredService<TimeProvider>().GetUtcNow();
        var approved = events.Schedule(new MaintenanceNotice("vm-ha-1", null, host, "memory-preserving", "host firmware update", now.AddDays(1), TimeSpan.FromSeconds(2)));
        var pending = events.Schedule(new MaintenanceNotice("vm-ha-2", null, host, "memory-preserving", "host firmware update", now.AddDays(2), TimeSpan.FromSeconds(2)));
        var approval = await SendAsync(a, HttpMethod.Post, $"/api/v1/owner/events/{approved.Id}/approve", null);
        Assert.True(approval.Status == HttpStatusCode.OK, approval.Body.ToString());
        var engaged = await SendAsync(a, HttpMethod.Post, "/api/v1/kill-switch", """{"reason": "bad firmware in the fleet"}""");
        Assert.Equal(("kill-switch", "shared"), (engaged.Body.GetProperty("state").GetString(), engaged.Body.GetProperty("killSwitch").GetProperty("source").GetString()));
        Assert.False(File.Exists(Path.Combine(Scratch, "a-kill-switch")));

        // the standby reads the shared state at every pass: it is stopped too, without a file of its own
        await WaitForStatusAsync(b, s => s.GetProperty("automation").GetProperty("state").GetString() == "kill-switch");

        // a clean stop hands the lease over: b leads with token 2
        var oldLog = leader.GetRequiredService<IOutcomeLog>();
        await Apps[0].StopAsync();
        await WaitForStatusAsync(b, s => s.GetProperty("ha").GetProperty("role").GetString() == "leader");
        var next = Apps[1].Services;

        var automation = (await b.GetFromJsonAsync<JsonElement>("/api/v1/automation"));
        Assert.Equal(("kill-switch", "shared", "bad firmware in the fleet"),
            (automation.GetProperty("state").GetString(), automation.GetProperty("killSwitch").GetProperty("source").GetString(), automation.GetProperty("killSwitch").GetProperty("reason").GetString()));
        Assert.False(File.Exists(Path.Combine(Scratch, "b-kill-switch")));
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(b, HttpMethod.Post, "/api/v1/resume", null)).Status);

        var owners = (await b.GetFromJsonAsync<JsonElement>("/api/v1/owner/events")).GetProperty("events").EnumerateArray()
            .ToDictionary(e => e.GetProperty("id").GetString()!, e => (e.GetProperty("state").GetString(), e.GetProperty("ownerChoice").GetString()));
        Assert.Equal(("approved", "approved-now"), owners[approved.Id]);
        Assert.Equal(("scheduled", "none"), owners[pending.Id]);

        var log = next.GetRequiredService<IOutcomeLog>();
        Assert.IsType<PostgresOutcomeLog>(log);
        var outcome = Assert.Single(log.Outcomes(host: host), o => o.Source == "ticket");
        Assert.Equal((OutcomeKind.Failed, "disk:sdb", "disk-media"), (outcome.Kind, outcome.Component, outcome.Cause));

        // the deposed leader's late write lands nowhere
        Assert.Throws<FencedWriteException>(() => oldLog.Append(new HostOutcome(host, now, OutcomeKind.Repaired, Source: "late")));
        Assert.DoesNotContain(log.Outcomes(host: host), o => o.Source == "late");

        // released on the new leader, automation runs again
        var released = await SendAsync(b, HttpMethod.Delete, "/api/v1/kill-switch", null);
        Assert.True(released.Status == HttpStatusCode.OK, released.Body.ToString());
        await WaitForStatusAsync(b, s => s.GetProperty("automation").GetProperty("state").GetString() == "running");
    }

    [Fact]
    public async Task OutcomesImportAndDataset_ConfigurationNamesTheDatabase_UseTheLogInPostgres()
    {
        var connection = await postgres.Server.CreateDatabaseAsync();
        var secret = Path.Combine(Scratch, "postgres-connection");
        await File.WriteAllTextAsync(secret, connection);
        var config = Path.Combine(Scratch, "predictor.json");
        await File.WriteAllTextAsync(config, $$"""
            {"Executor": {"JournalPath": "{{Path.Combine(Scratch, "predictor-journal.db")}}"}, "Ha": {"ConnectionStringFile": "{{secret}}"} }
            """);
        var options = new HaOptions { ConnectionStringFile = secret };
        using (var database = new PostgresDatabase(connection, options))
        {
            // the leader recorded 5 days of 6 hosts
            var token = (await new PostgresLeaseStore(database).ClaimAsync(new LeaseClaim("a", Guid.NewGuid(), null, -1, TimeSpan.FromMinutes(5)), default)).FencingToken;
            SyntheticHostHistory.Write(new PostgresOutcomeLog(database, () => token), hosts: 6, days: 5);
        }

        await File.WriteAllTextAsync(Path.Combine(Scratch, "rma.csv"), "host,time,component,cause,source\nh001,2026-01-06T10:00:00Z,dimm:A3,memory-uncorrectable,RMA\n");
        var import = await RunCliAsync("outcomes", "import", "--csv", Path.Combine(Scratch, "rma.csv"), "--config", config);
        var again = await RunCliAsync("outcomes", "import", "--csv", Path.Combine(Scratch, "rma.csv"), "--config", config);
        var dataset = await RunCliAsync("dataset", "--from-log", "--config", config, "--horizon", "48h", "--out", Path.Combine(Scratch, "rows.csv"));

        Assert.True(import.Code == 0, import.Stderr);
        Assert.Matches(@"^Imported 1 outcomes into outcome log in PostgreSQL 127\.0\.0\.1:\d+/\S+ \(0 already there\)\n$", import.Stdout);
        Assert.EndsWith("(1 already there)\n", again.Stdout, StringComparison.Ordinal);
        using (var shared = PostgresOutcomeLog.Open(options))
        {
            Assert.Equal("RMA", Assert.Single(shared.Outcomes(host: "h001")).Source);
        }

        Assert.True(dataset.Code == 0, dataset.Stderr);
        var rows = await File.ReadAllLinesAsync(Path.Combine(Scratch, "rows.csv"));
        Assert.Equal(Predictor.Daemon.Datasets.LabelledDataset.Header, rows[0]);
        Assert.StartsWith($"Wrote {Path.Combine(Scratch, "rows.csv")}: {rows.Length - 1} rows, ", dataset.Stdout, StringComparison.Ordinal);
        Assert.Contains(",1", rows[1..].Where(r => r.StartsWith("h000,", StringComparison.Ordinal)).Last(), StringComparison.Ordinal);
        // nothing was read from, or written to, a SQLite log beside the journal
        Assert.False(File.Exists(Path.Combine(Scratch, "predictor-outcomes.db")));
    }

    /// <summary>The <c>predictor</c> command line as an operator runs it: a process of its own, within a minute.</summary>
    private async Task<(int Code, string Stdout, string Stderr)> RunCliAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Scratch,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "predictor.dll"));
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var stdout = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var stderr = process.StandardError.ReadToEndAsync(deadline.Token);
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
