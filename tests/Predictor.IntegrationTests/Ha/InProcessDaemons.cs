using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Predictor.Core.Files;
using Predictor.Testing.Qemu;

namespace Predictor.IntegrationTests.Ha;

/// <summary>
/// Tests of daemons of one simulated datacenter in this process, sharing a real PostgreSQL database: each with a short
/// lease, its own kill-switch file in <see cref="Scratch"/>, and an API that <see cref="Token"/> operates.
/// </summary>
public abstract class InProcessDaemons : IAsyncLifetime
{
    /// <summary>The operators' API token of every daemon.</summary>
    protected const string Token = "in-process-daemons-operators-token-0123";

    /// <summary>The daemons started, in order.</summary>
    protected List<WebApplication> Apps { get; } = [];

    /// <summary>A directory of the test's own, deleted after it.</summary>
    protected string Scratch { get; } = Directory.CreateTempSubdirectory("predictor-ha-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var app in Apps)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        Directory.Delete(Scratch, recursive: true);
    }

    /// <summary>Starts daemon <paramref name="node"/> on the database; its connection string is read from a 0600 file.</summary>
    protected async Task<(HttpClient Http, Uri Url)> StartAsync(string node, string connectionString)
    {
        var secret = Path.Combine(Scratch, node + "-connection");
        using (var writer = new StreamWriter(secret, PrivateFiles.Create(FileMode.Create, FileAccess.Write, FileShare.Read)))
        {
            await writer.WriteAsync(connectionString);
        }

        var url = new Uri($"http://127.0.0.1:{QemuLab.FreeTcpPort()}/");
        var app = DaemonComposition.Build(new RunSettings(null, 1, null,
        [
            $"--Urls={url.ToString().TrimEnd('/')}", $"--Api:Token={Token}", "--Simulation:Hosts=20", "--Pipeline:Interval=00:00:01",
            $"--Ha:ConnectionStringFile={secret}", $"--Ha:NodeId={node}", $"--Ha:AdvertiseUrl={url}",
            // handovers here are clean (the lease is released), so a long lease costs nothing; a short one lost its first term
            // on a busy machine while the second daemon started up in the same process
            "--Ha:LeaseTimeout=00:00:10", "--Ha:RenewInterval=00:00:00.500", "--Ha:StandDownMargin=00:00:01",
            $"--Automation:KillSwitchFile={Path.Combine(Scratch, node + "-kill-switch")}", "--Notifications:OwnerEvents:DatabasePath=:memory:",
            "--Logging:LogLevel:Default=Warning",
        ], false));
        Assert.Empty(DaemonComposition.ValidateConfiguration(app.Services));
        Apps.Add(app);
        await app.StartAsync();
        var http = new HttpClient { BaseAddress = url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return (http, url);
    }

    /// <summary>A request with an optional JSON body; the answer's status and JSON.</summary>
    protected static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient http, HttpMethod method, string path, string? body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    /// <summary>Polls the status every 100 ms for up to a minute until <paramref name="done"/>.</summary>
    protected static async Task<JsonElement> WaitForStatusAsync(HttpClient http, Func<JsonElement, bool> done)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        JsonElement status = default;
        while (!deadline.IsCancellationRequested)
        {
            status = await http.GetFromJsonAsync<JsonElement>("/api/v1/status");
            if (done(status))
            {
                return status;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"the daemon did not get there within a minute; its status: {status}");
        return status;
    }
}
