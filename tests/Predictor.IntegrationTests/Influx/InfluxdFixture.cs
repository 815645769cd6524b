using System.Net;
using System.Text;
using Predictor.Telemetry.Influx;

namespace Predictor.IntegrationTests.Influx;

/// <summary>
/// A real influxd (Debian's <c>influxdb</c>) on free loopback ports, HTTP and RPC both moved, its data in a
/// temp directory, authentication on with an admin user; stopped and deleted on dispose.
/// </summary>
public sealed class InfluxdFixture : IAsyncLifetime
{
    public const string AdminUser = "admin";
    public const string AdminPassword = "s3cret-admin";

    private ServerProcess? _server;

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "predictor-influxd-" + Guid.NewGuid().ToString("N")[..8]);

    public int HttpPort { get; private set; }

    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}/");

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        HttpPort = ServerProcess.FreeLoopbackPort();
        var rpcPort = ServerProcess.FreeLoopbackPort();
        var config = Path.Combine(Directory, "influxdb.conf");
        await File.WriteAllTextAsync(config, $"""
            reporting-enabled = false
            bind-address = "127.0.0.1:{rpcPort}"
            [meta]
              dir = "{Directory}/meta"
            [data]
              dir = "{Directory}/data"
              wal-dir = "{Directory}/wal"
              query-log-enabled = false
            [http]
              enabled = true
              bind-address = "127.0.0.1:{HttpPort}"
              auth-enabled = true
              log-enabled = false
            [monitor]
              store-enabled = false
            [continuous_queries]
              enabled = false
            """);
        _server = new ServerProcess("influxd", $"run -config {config}", "influxdb");
        await _server.WaitUntilReadyAsync(
            async () => (await Http.GetAsync(new Uri(BaseAddress, "ping"))).StatusCode == HttpStatusCode.NoContent,
            TimeSpan.FromSeconds(60),
            "influxd");

        // With auth on, InfluxDB lets the first admin user be created without credentials.
        using var create = await Http.PostAsync(
            new Uri(BaseAddress, "query"),
            new FormUrlEncodedContent([new("q", $"CREATE USER {AdminUser} WITH PASSWORD '{AdminPassword}' WITH ALL PRIVILEGES")]));
        if (!create.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"creating the influxd admin user failed: {(int)create.StatusCode} {await create.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>A client for a fresh database (created here), authenticating as the admin.</summary>
    public async Task<InfluxClient> CreateClientAsync(string database, Action<InfluxOptions>? configure = null)
    {
        var options = new InfluxOptions
        {
            BaseAddress = BaseAddress,
            Database = database,
            Username = AdminUser,
            Password = AdminPassword,
            RetryDelay = TimeSpan.FromMilliseconds(50),
            MaxRetries = 2,
        };
        configure?.Invoke(options);
        var admin = new InfluxClient(Http, new InfluxOptions { BaseAddress = BaseAddress, Database = database, Username = AdminUser, Password = AdminPassword }, TimeProvider.System);
        await admin.ExecuteAsync($"CREATE DATABASE \"{database}\"", CancellationToken.None);
        return new InfluxClient(Http, options, TimeProvider.System);
    }

    public string ServerOutput => _server?.Output ?? "";

    public Task DisposeAsync()
    {
        _server?.Dispose();
        Http.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by the dying server; the temp directory is cleaned by the OS later.
        }

        return Task.CompletedTask;
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}

[CollectionDefinition(Name)]
public sealed class InfluxdCollection : ICollectionFixture<InfluxdFixture>
{
    public const string Name = "influxd";
}
