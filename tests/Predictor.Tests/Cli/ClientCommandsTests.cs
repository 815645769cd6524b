using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
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
        Assert.Matches("(?m)^automation +running$", stdout);
        Assert.Matches("(?m)^quarantined +none$", stdout);
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
}
