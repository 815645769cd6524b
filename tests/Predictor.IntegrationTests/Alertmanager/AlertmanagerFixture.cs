using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Predictor.Testing.Http;

namespace Predictor.IntegrationTests.Alertmanager;

/// <summary>
/// A real Alertmanager (Debian's prometheus-alertmanager) on a free loopback port, clustering off, routing every
/// alert to a loopback webhook receiver, grouped by alertname and the per-test label "test", with 1 s group wait
/// and interval. Waits on /-/ready; fails with a clear message when the binary is missing.
/// </summary>
public sealed class AlertmanagerFixture : IAsyncLifetime
{
    public const string Binary = "/usr/bin/prometheus-alertmanager";
    private readonly StringBuilder _output = new();
    private Process? _process;
    private string _directory = null!;

    public RecordingServer Receiver { get; private set; } = null!;

    public Uri Url { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"Alertmanager is not installed ({Binary} is missing): run deploy/dev/install-deps.sh (Debian package prometheus-alertmanager).");
        }

        Receiver = await RecordingServer.StartAsync();
        Receiver.Respond = _ => (200, "{}");
        _directory = Directory.CreateTempSubdirectory("predictor-alertmanager-").FullName;
        var config = Path.Combine(_directory, "alertmanager.yml");
        await File.WriteAllTextAsync(config, $"""
            route:
              receiver: hook
              group_by: ['alertname', 'test']
              group_wait: 1s
              group_interval: 1s
              repeat_interval: 1h
            receivers:
              - name: hook
                webhook_configs:
                  - url: '{Receiver.BaseUrl}hook'
                    send_resolved: true
            """);

        // A free port can be taken between probing and binding; a second try covers that rare race.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            Url = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/"));
            Start(config, port);
            if (await WaitReadyAsync(TimeSpan.FromSeconds(30)))
            {
                return;
            }

            Stop();
            if (attempt == 2)
            {
                throw new InvalidOperationException($"Alertmanager did not become ready on {Url}. Its output:\n{Output}");
            }
        }
    }

    public async Task DisposeAsync()
    {
        Stop();
        await Receiver.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private void Start(string config, int port)
    {
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add($"--config.file={config}");
        start.ArgumentList.Add($"--storage.path={Path.Combine(_directory, "data")}");
        start.ArgumentList.Add(string.Create(CultureInfo.InvariantCulture, $"--web.listen-address=127.0.0.1:{port}"));
        start.ArgumentList.Add("--cluster.listen-address=");
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private async Task<bool> WaitReadyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout && _process is { HasExited: false })
        {
            try
            {
                using var response = await client.GetAsync(new Uri(Url, "-/ready"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(50);
        }

        return false;
    }

    private void Stop()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
        _process = null;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class AlertmanagerCollection : ICollectionFixture<AlertmanagerFixture>
{
    public const string Name = "alertmanager";
}
