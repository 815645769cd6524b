using System.Net;
using Predictor.Core.Telemetry;
using Predictor.Telemetry.Mapping;
using Predictor.Telemetry.Scrape;
using Predictor.Testing;
using Predictor.Testing.Telemetry;

namespace Predictor.IntegrationTests.Scrape;

/// <summary>
/// The real node_exporter (Debian's prometheus-node-exporter) on a free loopback port, reading hwmon and
/// EDAC from a sysfs tree the test writes (<c>--path.sysfs</c>) and SMART values from a textfile directory.
/// </summary>
public sealed class NodeExporterScraperTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "predictor-node-exporter-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly HttpClient _http = new();
    private ServerProcess? _exporter;
    private int _port;

    public async Task InitializeAsync()
    {
        Write("sys/class/hwmon/hwmon0/name", "coretemp");
        Write("sys/class/hwmon/hwmon0/temp1_input", "45000");
        Write("sys/class/hwmon/hwmon0/temp1_label", "Package id 0");
        Write("sys/class/hwmon/hwmon0/fan1_input", "5400");
        Write("sys/class/hwmon/hwmon1/name", "nvme");
        Write("sys/class/hwmon/hwmon1/temp1_input", "38000");
        foreach (var f in new[] { "ce_count", "ue_count", "ce_noinfo_count", "ue_noinfo_count" })
        {
            Write($"sys/devices/system/edac/mc/mc0/{f}", f == "ce_count" ? "7" : "0");
        }

        Write("sys/devices/system/edac/mc/mc0/csrow0/ce_count", "7");
        Write("sys/devices/system/edac/mc/mc0/csrow0/ue_count", "0");
        Write("text/smart.prom", "smartmon_reallocated_sector_ct_raw_value{disk=\"/dev/sda\",type=\"sat\"} 12\nsmartmon_current_pending_sector_raw_value{disk=\"/dev/sda\",type=\"sat\"} 3\nmce_total 2\n");

        _port = ServerProcess.FreeLoopbackPort();
        _exporter = new ServerProcess(
            "prometheus-node-exporter",
            $"--web.listen-address=127.0.0.1:{_port} --path.sysfs={_root}/sys --collector.disable-defaults --collector.hwmon --collector.edac --collector.textfile --collector.textfile.directory={_root}/text",
            "prometheus-node-exporter");
        await _exporter.WaitUntilReadyAsync(
            async () => (await _http.GetAsync(new Uri($"http://127.0.0.1:{_port}/metrics"))).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30),
            "node_exporter");
    }

    public Task DisposeAsync()
    {
        _exporter?.Dispose();
        _http.Dispose();
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ScrapeAsync_RealNodeExporter_HwmonEdacAndSmartMappedToSignals()
    {
        var time = new ManualTimeProvider();
        var sink = new CollectingSink();
        var mappingOptions = new SignalMappingOptions();
        var scraper = new NodeExporterScraper(Options(), _http, new SignalMapper(mappingOptions, sink), mappingOptions.Signals, time, time);

        var result = await scraper.ScrapeAsync(Options().Targets[0], CancellationToken.None);

        Assert.Empty(result.Errors);
        var now = time.GetUtcNow();
        Assert.Equal(
            new[]
            {
                new TelemetrySample("h0042", SignalNames.MachineChecksTotal, null, now, 2),
                new TelemetrySample("h0042", SignalNames.MemoryCorrectableTotal, "0", now, 7),
                new TelemetrySample("h0042", SignalNames.MemoryUncorrectableTotal, "0", now, 0),
                new TelemetrySample("h0042", SignalNames.FanSpeed, "coretemp/fan1", now, 5400),
                new TelemetrySample("h0042", SignalNames.CpuTemperature, "coretemp/temp1", now, 45),
                new TelemetrySample("h0042", SignalNames.SmartPendingSectors, "/dev/sda", now, 3),
                new TelemetrySample("h0042", SignalNames.SmartReallocatedSectors, "/dev/sda", now, 12),
            }.OrderBy(s => s.Signal),
            sink.Samples.OrderBy(s => s.Signal));
        Assert.Equal(7, result.Mapped);
        Assert.True(result.Ignored > 0, "node_exporter's own metrics (go_*, process_*, the nvme temperature) are not signals");
    }

    [Fact]
    public async Task RunAsync_EachInterval_ScrapesAgain()
    {
        var time = new ManualTimeProvider();
        var sink = new CollectingSink();
        var mappingOptions = new SignalMappingOptions();
        var scraper = new NodeExporterScraper(Options(), _http, new SignalMapper(mappingOptions, sink), mappingOptions.Signals, time, time);
        using var cts = new CancellationTokenSource();

        var run = scraper.RunAsync(cts.Token);
        await WaitForAsync(() => sink.Samples.Count == 7);
        time.Advance(TimeSpan.FromSeconds(60));
        await WaitForAsync(() => sink.Samples.Count == 14);
        await cts.CancelAsync();
        await run;

        Assert.Equal(2, sink.Samples.Select(s => s.Time).Distinct().Count());
    }

    [Fact]
    public async Task ScrapeAsync_TargetDown_ThrowsAfterRetry()
    {
        var options = Options();
        options.Targets[0].Url = new Uri($"http://127.0.0.1:{ServerProcess.FreeLoopbackPort()}/metrics");
        var mappingOptions = new SignalMappingOptions();
        var scraper = new NodeExporterScraper(options, _http, new SignalMapper(mappingOptions, new CollectingSink()), mappingOptions.Signals, TimeProvider.System, TimeProvider.System);

        await Assert.ThrowsAsync<HttpRequestException>(() => scraper.ScrapeAsync(options.Targets[0], CancellationToken.None));
    }

    private ScrapeOptions Options() => new()
    {
        Targets = [new ScrapeTarget { Host = "h0042", Url = new Uri($"http://127.0.0.1:{_port}/metrics") }],
        Interval = TimeSpan.FromSeconds(60),
    };

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 20 s");
            await Task.Delay(20);
        }
    }

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content + "\n");
    }
}
