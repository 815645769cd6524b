using System.Net;
using System.Text;
using Predictor.IntegrationTests.Influx;

namespace Predictor.IntegrationTests.Push;

/// <summary>
/// The push path end to end with a real influxd: points accepted while InfluxDB is unreachable survive a
/// kill -9 of the daemon (a child <c>predictor ingest</c> process) and reach InfluxDB once it is reachable.
/// </summary>
[Collection(InfluxdCollection.Name)]
public sealed class PushReplayTests(InfluxdFixture influxd) : IDisposable
{
    private readonly string _spool = Path.Combine(Path.GetTempPath(), "predictor-push-spool-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_spool))
        {
            Directory.Delete(_spool, recursive: true);
        }
    }

    [Fact]
    public async Task Push_InfluxDownThenKill9ThenInfluxUp_EveryAcceptedPointReachesInflux()
    {
        var client = await influxd.CreateClientAsync("replay");
        var deadPort = ServerProcess.FreeLoopbackPort();
        using var http = new HttpClient();

        int port;
        using (var first = StartIngest(new Uri($"http://127.0.0.1:{deadPort}/"), out port))
        {
            await WaitReadyAsync(first, http, port);
            for (var batch = 0; batch < 20; batch++)
            {
                var lines = string.Concat(Enumerable.Range(batch * 50, 50).Select(i => $"m,host=h{i % 7} v={i}i {1767225600 + i}\n"));
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://127.0.0.1:{port}/write?db=replay&precision=s")) { Content = new StringContent(lines, Encoding.UTF8) };
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Token", PushToken);
                using var response = await http.SendAsync(request);
                Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            }

            first.Kill();
        }

        Assert.True(Directory.GetFiles(_spool, "*.seg").Sum(f => new FileInfo(f).Length) > 0, "the spool should hold the accepted batches");

        using var second = StartIngest(influxd.BaseAddress, out port);
        await WaitReadyAsync(second, http, port);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        List<object?[]> rows;
        while (true)
        {
            rows = await InfluxClientTests.QueryRowsAsync(client, "SELECT v FROM m ORDER BY time");
            if (rows.Count >= 1000 || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.True(rows.Count == 1000, $"InfluxDB has {rows.Count} of 1000 points; ingest output:\n{second.Output}");
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (object?)(long)i), rows.Select(r => r[1]));
    }

    private const string PushToken = "replay-push-token-0123";

    /// <summary>The push token in a file beside the spool, as an operator passes it (never on the command line).</summary>
    private string TokenFile()
    {
        var path = _spool + ".token";
        File.WriteAllText(path, PushToken + "\n");
        return path;
    }

    /// <summary>The InfluxDB password in a file, as ingest takes it (a password on the command line would show in ps).</summary>
    private string PasswordFile()
    {
        var path = _spool + ".influx-password";
        File.WriteAllText(path, InfluxdFixture.AdminPassword + "\n");
        return path;
    }

    private ServerProcess StartIngest(Uri forward, out int port)
    {
        port = ServerProcess.FreeLoopbackPort();
        var dll = Path.Combine(AppContext.BaseDirectory, "predictor.dll");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "/usr/bin/dotnet";
        return new ServerProcess(
            dotnet,
            $"{dll} ingest --listen 127.0.0.1:{port} --forward {forward} --database replay --influx-user {InfluxdFixture.AdminUser} --influx-password-file {PasswordFile()} --spool {_spool} --fsync Never --token-file {TokenFile()}",
            "dotnet SDK");
    }

    private static Task WaitReadyAsync(ServerProcess process, HttpClient http, int port) =>
        process.WaitUntilReadyAsync(
            async () => (await http.GetAsync(new Uri($"http://127.0.0.1:{port}/ping"))).StatusCode == HttpStatusCode.NoContent,
            TimeSpan.FromSeconds(30),
            "predictor ingest");
}
