using System.Net;

namespace Predictor.Tests.Daemon;

/// <summary>The Host allow-list against DNS rebinding: a loopback daemon answers only requests addressed to loopback names.</summary>
public sealed class AllowedHostsTests
{
    [Fact]
    public async Task LoopbackListener_RequestAddressedToAnotherName_400()
    {
        await using var app = DaemonComposition.Build(new RunSettings(null, 1, null,
            ["--Urls=http://127.0.0.1:0", "--Executor:JournalPath=:memory:", "--Notifications:OwnerEvents:DatabasePath=:memory:", "--Logging:LogLevel:Default=None", "--Simulation:Hosts=4",
             $"--Automation:KillSwitchFile={Path.Combine(Path.GetTempPath(), "predictor-hosts-" + Guid.NewGuid().ToString("N"))}"], false));
        await app.StartAsync();
        var address = new Uri(app.Urls.First());
        using var http = new HttpClient();

        async Task<HttpStatusCode> GetAsync(string host)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(address, "api/v1/status"));
            request.Headers.Host = $"{host}:{address.Port}";
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.BadRequest, await GetAsync("rebound.attacker.example"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync("localhost"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync("127.0.0.1"));
        await app.StopAsync();
    }

    [Theory]
    [InlineData("--Urls=http://127.0.0.1:8080", null, "localhost;127.0.0.1;[::1]")]
    [InlineData("--Urls=http://localhost:8080", null, "localhost;127.0.0.1;[::1]")]
    [InlineData("--Urls=http://0.0.0.0:8080", null, null)]
    [InlineData("--Kestrel:Endpoints:Https:Url=https://10.1.2.3:8443", null, null)]
    [InlineData("--Urls=http://127.0.0.1:8080", "--AllowedHosts=predictor.example", "predictor.example")]
    public void AllowedHosts_DefaultOnlyWhenEveryListenerIsLoopback(string listen, string? configured, string? expected)
    {
        using var app = DaemonComposition.Build(new RunSettings(null, 1, null, [listen, .. configured is null ? Array.Empty<string>() : [configured], "--Executor:JournalPath=:memory:"], false));

        Assert.Equal(expected, app.Configuration["AllowedHosts"]);
    }
}
