using System.Net;
using Microsoft.AspNetCore.Builder;
using Predictor.Daemon.Automation;

namespace Predictor.Tests.Cli;

/// <summary>The API's unix-socket control channel: file permissions instead of a token, the TCP listener kept beside it.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ControlSocketTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("predictor-socket-").FullName;
    private WebApplication? _app;

    private string Socket => Path.Combine(_directory, "run", "control.sock");

    public async Task InitializeAsync() =>
        _app = await Predictor.Tests.Daemon.HttpSurface.StartAsync("--Urls=http://127.0.0.1:0", $"--Api:ControlSocket={Socket}", "--Api:Token=socket-test-token-0123", "--Simulation:Hosts=20",
            $"--Automation:KillSwitchFile={Path.Combine(_directory, "kill-switch")}", $"--Executor:JournalPath={Path.Combine(_directory, "journal.db")}",
            "--Notifications:OwnerEvents:DatabasePath=:memory:", "--Logging:LogLevel:Default=None");

    public async Task DisposeAsync()
    {
        await _app!.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Pause_OverTheSocketWithoutAToken_AcceptedWhileTcpWithoutOneIsRefused()
    {
        var (code, stdout, stderr) = await CliConsole.RunAsync("pause", "--reason", "maintenance window", "--url", ControlSocket.Scheme + Socket);
        var (statusCode, status, _) = await CliConsole.RunAsync("status", "--url", ControlSocket.Scheme + Socket);
        using var tcp = new HttpClient { BaseAddress = new Uri(_app!.Urls.Single(u => u.StartsWith("http://127.0.0.1", StringComparison.Ordinal))) };
        using var anonymous = await tcp.PostAsync(new Uri("api/v1/resume", UriKind.Relative), null);
        using var health = await tcp.GetAsync(new Uri("healthz", UriKind.Relative));

        Assert.True(code == 0, stderr + stdout);
        Assert.Equal(0, statusCode);
        Assert.Matches("(?m)^automation +paused", status);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(Socket)!));
    }
}
