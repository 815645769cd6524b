using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Predictor.Core.Risk;
using Predictor.Simulation;
using Predictor.Telemetry.Windows;

namespace Predictor.Tests.Daemon.Telemetry;

public sealed class PushSourceTests
{
    [Fact]
    public async Task Write_KnownUnknownAndUnmapped_KnownReachesWindowsOthersCountedInStatus()
    {
        await using var app = DaemonComposition.Build(new RunSettings(null, 1, null,
        [
            "--Urls=http://127.0.0.1:0", "--Executor:JournalPath=:memory:", "--Notifications:OwnerEvents:DatabasePath=:memory:",
            "--Logging:LogLevel:Default=None", "--Simulation:Hosts=4", "--Telemetry:Source=Push", "--Simulation:Emit=None", "--Push:Tokens:0=push-secret-1",
        ], false));
        Assert.Empty(DaemonComposition.ValidateConfiguration(app.Services));
        await app.StartAsync();
        var baseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var host = app.Services.GetRequiredService<SimulatedFleet>().Inventory.Hosts[0].Id;
        var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var t = now.ToUnixTimeSeconds() + 1;
        using var http = new HttpClient { BaseAddress = baseAddress };

        using var unauthorized = await http.PostAsync(new Uri("write?db=telemetry&precision=s", UriKind.Relative), new StringContent($"host,host={host} cpu_temp_c=70 {t}\n"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v2/write?bucket=telemetry&precision=s")
        {
            Content = new StringContent(
                $"host,host={host} cpu_temp_c=61.5 {t}\n" +
                $"host,host=ghost-1 cpu_temp_c=50 {t}\n" +
                $"host,host=ghost-1 cpu_temp_c=51 {t + 60}\n" +
                $"odd,host={host} weird_field=1 {t}\n" +
                $"host,rack=r1 cpu_temp_c=40 {t}\n", Encoding.UTF8),
        };
        request.Headers.Authorization = new("Token", "push-secret-1");
        using var written = await http.SendAsync(request);
        using var status = JsonDocument.Parse(await http.GetStringAsync(new Uri("api/v1/status", UriKind.Relative)));

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.NoContent), (unauthorized.StatusCode, written.StatusCode));
        var features = app.Services.GetRequiredService<HostWindowStore>().Features(host, DateTimeOffset.FromUnixTimeSeconds(t));
        Assert.Equal(61.5, features.Values[FeatureNames.CpuTemperatureLast]);
        var telemetry = status.RootElement.GetProperty("telemetry");
        Assert.Equal(
            """{"source":"Push","emit":"None","mapped":1,"unmappedValues":1,"unknownHostSamples":2,"missingHostTag":1,"unknownHosts":{"ghost-1":2},"unmappedFields":{"odd.weird_field":1},"spoolPendingBytes":null,"emittedLines":null}""",
            telemetry.GetRawText());
        await app.StopAsync();
    }

    [Fact]
    public async Task Write_TokenInTheQueryString_NeverReachesTheLogs()
    {
        using var logs = new Microsoft.Extensions.Logging.Testing.FakeLoggerProvider();
        await using var app = DaemonComposition.Build(
            new RunSettings(null, 1, null,
            [
                "--Urls=http://127.0.0.1:0", "--Executor:JournalPath=:memory:", "--Notifications:OwnerEvents:DatabasePath=:memory:",
                "--Simulation:Hosts=4", "--Telemetry:Source=Push", "--Simulation:Emit=None", "--Push:Tokens:0=query-secret-77",
            ], false),
            configureServices: services => services.AddLogging(b => b.AddProvider(logs)));
        await app.StartAsync();
        var baseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var host = app.Services.GetRequiredService<SimulatedFleet>().Inventory.Hosts[0].Id;
        using var http = new HttpClient { BaseAddress = baseAddress };

        using var written = await http.PostAsync(new Uri("write?db=telemetry&u=agent&p=query-secret-77", UriKind.Relative), new StringContent($"host,host={host} cpu_temp_c=60\n"));
        using var refused = await http.PostAsync(new Uri("write?db=telemetry&p=wrong-secret-88", UriKind.Relative), new StringContent($"host,host={host} cpu_temp_c=60\n"));
        await app.StopAsync();

        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.Unauthorized), (written.StatusCode, refused.StatusCode));
        var all = logs.Collector.GetSnapshot();
        Assert.NotEmpty(all); // the daemon did log: its start, the source, the pass
        Assert.DoesNotContain(all, r => r.Message.Contains("query-secret-77", StringComparison.Ordinal) || r.Message.Contains("wrong-secret-88", StringComparison.Ordinal));
    }
}
