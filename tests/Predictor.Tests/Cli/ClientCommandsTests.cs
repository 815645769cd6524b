using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Core.Risk;
using Predictor.Daemon;

namespace Predictor.Tests.Cli;

/// <summary>The on-call verbs against a real daemon's HTTP API, through the same entry point as the executable.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ClientCommandsTests : IAsyncLifetime
{
    private const string Token = "client-token-0123456789";
    private readonly string _directory = Directory.CreateTempSubdirectory("predictor-client-").FullName;
    private WebApplication? _app;

    private string Url => _app!.Urls.First() + "/";

    private string TokenFile(string token)
    {
        var path = Path.Combine(_directory, "token-" + token.Length);
        File.WriteAllText(path, token + "\n");
        return path;
    }

    public async Task InitializeAsync()
    {
        _app = DaemonComposition.Build(
            new RunSettings(null, 1, null, ["--Urls=http://127.0.0.1:0", "--Simulation:Hosts=20", $"--Api:Token={Token}", $"--Automation:KillSwitchFile={Path.Combine(_directory, "kill-switch")}",
                $"--Executor:JournalPath={Path.Combine(_directory, "journal.db")}", "--Notifications:OwnerEvents:DatabasePath=:memory:", "--Logging:LogLevel:Default=None"], false),
            configureServices: services =>
            {
                // the HTTP surface alone: no pipeline loop acting on the simulated fleet
                foreach (var worker in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(PipelineWorker)).ToList())
                {
                    services.Remove(worker);
                }
            });
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _app!.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Status_RunningDaemon_PrintsAutomationAndQuarantine()
    {
        var (code, stdout, stderr) = await CliConsole.RunAsync("status", "--url", Url);

        Assert.True(code == 0, stderr);
        Assert.Matches("(?m)^role +leader \\(alone: state and journal in local files\\)$", stdout);
        Assert.DoesNotMatch("(?m)^lease ", stdout);
        Assert.Matches("(?m)^automation +running$", stdout);
        Assert.Matches("(?m)^quarantined +none$", stdout);
    }

    [Fact]
    public async Task RepairThenDecommission_QuarantinedHost_RecordsTheRepairThenTakesTheHostOutAndStatusListsBoth()
    {
        var pipeline = _app!.Services.GetRequiredService<PredictorPipeline>();
        var hosts = _app.Services.GetRequiredService<IDatacenter>().Inventory().Hosts;
        var (repaired, retired) = (hosts[4].Id, hosts[5].Id);
        pipeline.Quarantine.Add(new RiskAssessment(repaired, DateTimeOffset.UnixEpoch, 0.97, TimeSpan.FromDays(2), null, [], "rules"));
        pipeline.Quarantine.Add(new RiskAssessment(retired, DateTimeOffset.UnixEpoch, 0.99, TimeSpan.FromDays(2), null, [], "rules"));

        var repair = await CliConsole.RunAsync("repair", repaired, "--reason", "PSU replaced, ticket 5", "--url", Url, "--token-file", TokenFile(Token));
        var notQuarantined = await CliConsole.RunAsync("repair", hosts[6].Id, "--reason", "nothing to repair", "--url", Url, "--token-file", TokenFile(Token));
        var decommission = await CliConsole.RunAsync("decommission", retired, "--reason", "end of life", "--url", Url, "--token-file", TokenFile(Token));
        var unknown = await CliConsole.RunAsync("decommission", "no-such-host", "--reason", "typo", "--url", Url, "--token-file", TokenFile(Token));
        var status = await CliConsole.RunAsync("status", "--url", Url);

        Assert.True(repair.Code == 0, repair.Stderr);
        Assert.Equal($"repair of host {repaired} recorded; it is released after 3 clean assessments in a row\n", repair.Stdout);
        Assert.Equal(4, notQuarantined.Code);
        Assert.Contains($"(409): host {hosts[6].Id} is not quarantined", notQuarantined.Stderr, StringComparison.Ordinal);
        Assert.True(decommission.Code == 0, decommission.Stderr);
        Assert.StartsWith($"host {retired} is decommissioned: it takes no VM again and its ", decommission.Stdout, StringComparison.Ordinal);
        Assert.Equal(4, unknown.Code);
        Assert.Contains("(404): no host 'no-such-host' in the inventory", unknown.Stderr, StringComparison.Ordinal);
        Assert.Matches($"(?m)^quarantined +1: {repaired}$", status.Stdout);
        Assert.Matches($"(?m)^repaired +{repaired} \\(PSU replaced, ticket 5, 0 clean assessments since\\)$", status.Stdout);
        Assert.Matches($"(?m)^decommissioned +{retired} \\(end of life\\)$", status.Stdout);
    }

    [Fact]
    public async Task PauseThenResume_WithTheToken_PausesWithTheReasonAndResumes()
    {
        var token = TokenFile(Token);

        var paused = await CliConsole.RunAsync("pause", "--reason", "kernel freeze", "--url", Url, "--token-file", token);
        var status = await CliConsole.RunAsync("status", "--json", "--url", Url);
        var resumed = await CliConsole.RunAsync("resume", "--url", Url, "--token-file", token);

        Assert.True(paused.Code == 0, paused.Stderr);
        Assert.Matches("(?m)^automation +paused$", paused.Stdout);
        using var json = JsonDocument.Parse(status.Stdout);
        var automation = json.RootElement.GetProperty("automation");
        Assert.Equal(("paused", "kernel freeze"), (automation.GetProperty("state").GetString(), automation.GetProperty("pause").GetProperty("reason").GetString()));
        Assert.True(resumed.Code == 0, resumed.Stderr);
        Assert.Matches("(?m)^automation +running$", resumed.Stdout);
    }

    [Fact]
    public async Task Pause_WrongToken_ExitsFourWithTheDaemonsRefusal()
    {
        var (code, stdout, stderr) = await CliConsole.RunAsync("kill-switch", "on", "--reason", "x", "--url", Url, "--token-file", TokenFile("not-the-token-0123456789"));

        Assert.Equal(4, code);
        Assert.Empty(stdout);
        Assert.StartsWith("predictor kill-switch on: the daemon refused (401): ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_NothingListening_ExitsThreeSayingWhere()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (code, _, stderr) = await CliConsole.RunAsync("status", "--url", $"http://127.0.0.1:{port}/");

        Assert.Equal(3, code);
        Assert.Equal($"predictor status: cannot reach the daemon at http://127.0.0.1:{port}/: connection refused", stderr.Trim());
    }

    [Fact]
    public async Task StepsAndAtRisk_Json_AreTheApisArrays()
    {
        var steps = await CliConsole.RunAsync("steps", "--limit", "5", "--json", "--url", Url);
        var risk = await CliConsole.RunAsync("at-risk", "--url", Url);

        Assert.True(steps.Code == 0, steps.Stderr);
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(steps.Stdout).RootElement.ValueKind);
        Assert.Equal((0, "(none)\n"), (risk.Code, risk.Stdout));
    }

    [Fact]
    public async Task Release_QuarantinedHost_ReleasesItWithTheReasonAndStatusListsIt()
    {
        var pipeline = _app!.Services.GetRequiredService<PredictorPipeline>();
        var host = _app.Services.GetRequiredService<IDatacenter>().Inventory().Hosts[3].Id;
        pipeline.Quarantine.Add(new RiskAssessment(host, DateTimeOffset.UnixEpoch, 0.97, TimeSpan.FromDays(2), null, [], "rules"));

        var noReason = await CliConsole.RunAsync("release", host, "--url", Url, "--token-file", TokenFile(Token));
        var noToken = await CliConsole.RunAsync("release", host, "--reason", "disk replaced", "--url", Url);
        var released = await CliConsole.RunAsync("release", host, "--reason", "disk replaced, RMA 77", "--url", Url, "--token-file", TokenFile(Token));
        var again = await CliConsole.RunAsync("release", host, "--reason", "twice", "--url", Url, "--token-file", TokenFile(Token));
        var status = await CliConsole.RunAsync("status", "--url", Url);

        Assert.NotEqual(0, noReason.Code); // --reason is required by the verb itself
        Assert.Equal(4, noToken.Code);
        Assert.Contains("(401)", noToken.Stderr, StringComparison.Ordinal);
        Assert.True(released.Code == 0, released.Stderr);
        Assert.Equal($"host {host} takes VMs again; it was flagged at p=0.97 by rules\n", released.Stdout);
        Assert.DoesNotContain(host, pipeline.Quarantined);
        Assert.Equal(4, again.Code);
        Assert.Contains($"(409): host {host} is not quarantined", again.Stderr, StringComparison.Ordinal);
        Assert.Matches($"(?m)^released +{host} \\(disk replaced, RMA 77, held until ", status.Stdout);
    }

    [Fact]
    public async Task ReleaseEndpoint_EmptyReason_IsABadRequest()
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", Token);

        using var response = await http.PostAsync(Url + "api/v1/hosts/h0001/release", new StringContent("{\"reason\": \" \"}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("a release needs a reason", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanShow_BeforeAndAfterAPlan_SaysThereIsNoneThenListsItsSteps()
    {
        var none = await CliConsole.RunAsync("plan", "show", "--url", Url);
        var inventory = _app!.Services.GetRequiredService<IDatacenter>().Inventory();
        var vm = inventory.Vms[0];
        var to = inventory.Hosts.First(h => h.Id != vm.Host).Id;
        var plan = MaintenancePlan.Empty with
        {
            Migrations = [new MigrationStep(vm.Id, vm.Host, to, MigrationKind.Live, 0, 42, vm.MemoryGiB, 300, "host at risk")],
            AtRisk = [vm.Host],
            Summary = new PlanSummary { MakespanS = 42, LowerBoundS = 40 },
        };
        _app.Services.GetRequiredService<PredictorPipeline>().Plans.Submitted("plan-test-1", DateTimeOffset.UnixEpoch, plan, 1);

        var shown = await CliConsole.RunAsync("plan", "show", "--url", Url);
        var json = await CliConsole.RunAsync("plan", "show", "--id", "plan-test-1", "--json", "--url", Url);
        var missing = await CliConsole.RunAsync("plan", "show", "--id", "plan-nope", "--url", Url);

        Assert.Equal(4, none.Code);
        Assert.Contains("no plan has been handed to the executor yet", none.Stderr, StringComparison.Ordinal);
        Assert.True(shown.Code == 0, shown.Stderr);
        Assert.Matches("(?m)^plan +plan-test-1$", shown.Stdout);
        Assert.Matches("(?m)^makespan +42 s \\(lower bound 40 s\\)$", shown.Stdout);
        Assert.Matches($"(?m)^0 +42 +migration +{vm.Id} +{vm.Host} → {to} +live +not started", shown.Stdout);
        using var doc = JsonDocument.Parse(json.Stdout);
        Assert.Equal($"plan-test-1/{vm.Id}", doc.RootElement.GetProperty("steps")[0].GetProperty("step").GetString());
        Assert.Equal(4, missing.Code);
        Assert.Contains("no plan 'plan-nope'", missing.Stderr, StringComparison.Ordinal);
    }
}
