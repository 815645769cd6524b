using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Predictor.Core.Alerts;
using Predictor.Core.Telemetry;
using Predictor.Execution.Hypervisors.Qmp;
using Predictor.Testing.Alerts;
using Predictor.Testing.Qemu;

namespace Predictor.IntegrationTests.Daemon;

/// <summary>
/// The daemon end to end on real QEMU: inventory.json names three hosts, vm-1 is a tiny real VM on host-01, telemetry
/// makes host-01 look like a failing disk, and the daemon must live-migrate vm-1 off it through QMP.
/// </summary>
public sealed class RealDatacenterTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);
    private readonly string _directory = Directory.CreateTempSubdirectory("predictor-dc-").FullName;
    private readonly CollectingAlertPublisher _alerts = new();
    private QemuLab _lab = null!;
    private WebApplication? _app;
    private HttpClient? _http;

    public Task InitializeAsync()
    {
        _lab = new QemuLab();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        await _lab.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Run_HostWithFailingDisk_VmLiveMigratedByQmpAndStatusAndJournalSaySo()
    {
        var source = await _lab.StartAsync("vm-1-host-01", incoming: false);
        var pattern = source.FillMemoryWithPattern(seed: 5);
        var toHost02 = await _lab.StartAsync("vm-1-host-02", incoming: true);
        var toHost03 = await _lab.StartAsync("vm-1-host-03", incoming: true);
        await StartDaemonAsync(
            hostStates: null,
            ("host-01", source.QmpSocket, null),
            ("host-02", toHost02.QmpSocket, toHost02.IncomingUri),
            ("host-03", toHost03.QmpSocket, toHost03.IncomingUri));

        var placement = await WaitForAsync(async () =>
        {
            var host = (await GetAsync("/api/v1/placements")).GetProperty("vm-1").GetString();
            return host != "host-01" ? host : null;
        });

        var (destination, idle) = placement == "host-02" ? (toHost02, toHost03) : (toHost03, toHost02);
        Assert.Contains(placement, new[] { "host-02", "host-03" });
        Assert.Equal("running", await StatusAsync(destination));
        Assert.Equal("inmigrate", await StatusAsync(idle));
        Assert.True(await source.WaitForExitAsync(TimeSpan.FromSeconds(10)), "the source QEMU on host-01 should have been retired");
        Assert.True(pattern.AsSpan().SequenceEqual(destination.ReadMemory()), "the guest's memory changed in the move");

        var status = await GetAsync("/api/v1/status");
        Assert.Equal(["host-01"], status.GetProperty("quarantined").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal("running", status.GetProperty("automation").GetProperty("state").GetString());
        var step = Assert.Single((await GetAsync("/api/v1/steps")).EnumerateArray());
        Assert.Equal("LiveMigration", step.GetProperty("kind").GetString());
        Assert.True(step.GetProperty("succeeded").GetBoolean());
        Assert.Equal("host-01", step.GetProperty("from").GetString());
        Assert.Equal(placement, step.GetProperty("to").GetString());
        var journal = (await GetAsync("/api/v1/journal/vm-1")).EnumerateArray().ToList();
        Assert.Equal(["Started", "Completed"], journal.Select(e => e.GetProperty("state").GetString()!).ToArray());
        Assert.All(journal, e => Assert.Equal(placement, e.GetProperty("to").GetString()));
        Assert.Contains(_alerts.Published, a => a.Condition == AlertConditions.HostPredictedToFail && a.Host == "host-01");
        Assert.DoesNotContain(_alerts.Published, a => a.Condition == AlertConditions.EvacuationFailed);
    }

    [Fact]
    public async Task Run_DestinationUnreachable_StepFailsIsJournalledAndAlertedThenRetriedOnceItIsUp()
    {
        var source = await _lab.StartAsync("vm-1-host-01", incoming: false);
        var port = QemuLab.FreeTcpPort();
        var destinationSocket = _lab.QmpSocketOf("vm-1-host-02");
        await StartDaemonAsync(
            hostStates: new() { ["host-03"] = "maintenance" },
            ("host-01", source.QmpSocket, null),
            ("host-02", destinationSocket, $"tcp:127.0.0.1:{port}"));

        var failed = await WaitForAsync(async () =>
            (await GetAsync("/api/v1/steps")).EnumerateArray().Where(s => !s.GetProperty("succeeded").GetBoolean()).Select(s => s.GetProperty("message").GetString()).FirstOrDefault());
        Assert.StartsWith("migration of VM 'vm-1' from 'host-01' to 'host-02' could not start: ", failed, StringComparison.Ordinal);
        Assert.EndsWith("VM 'vm-1' was not touched and is 'running' on 'host-01'", failed, StringComparison.Ordinal);
        await WaitForAsync(() => Task.FromResult(_alerts.Published.FirstOrDefault(a => a.Condition == AlertConditions.EvacuationFailed)));
        var alert = _alerts.Published.First(a => a.Condition == AlertConditions.EvacuationFailed);
        Assert.Equal(AlertSeverity.Critical, alert.Severity);
        Assert.Equal("host-01", alert.Host);
        Assert.EndsWith("; it will be planned again on the next pass", alert.Summary, StringComparison.Ordinal);
        Assert.Equal("running", await StatusAsync(source));

        var destination = await _lab.StartAsync("vm-1-host-02", incoming: true, incomingPort: port);
        await WaitForAsync(async () => (await GetAsync("/api/v1/placements")).GetProperty("vm-1").GetString() == "host-02" ? "moved" : null);

        Assert.Equal("running", await StatusAsync(destination));
        Assert.True(await source.WaitForExitAsync(TimeSpan.FromSeconds(10)), "the source QEMU on host-01 should have been retired");
        var journal = (await GetAsync("/api/v1/journal/vm-1")).EnumerateArray().ToList();
        Assert.Equal("Completed", journal[^1].GetProperty("state").GetString());
        Assert.Contains(journal, e => e.GetProperty("state").GetString() == "Failed" && e.GetProperty("message").GetString() == failed);
        Assert.Equal(journal.Count(e => e.GetProperty("state").GetString() == "Started"), journal.Count(e => e.GetProperty("state").GetString() != "Started"));
    }

    [Fact]
    public async Task Run_LibvirtUnreachable_StepsFailAreJournalledAlertedAndRetriedWhileTheDaemonRuns()
    {
        var overrides = new List<string> { "--Datacenter:Hypervisor=Libvirt", "--Hypervisors:Libvirt:CommandTimeout=00:00:05" };
        foreach (var (host, i) in new[] { "host-01", "host-02", "host-03" }.Select((h, i) => (h, i)))
        {
            overrides.Add($"--Hypervisors:Libvirt:Hosts:{i}:Host={host}");
            overrides.Add($"--Hypervisors:Libvirt:Hosts:{i}:Uri=qemu+unix:///system?socket={Path.Combine(_directory, host + ".sock")}");
        }

        await StartAsync(null, overrides);

        var failures = await WaitForAsync(async () =>
        {
            var failed = (await GetAsync("/api/v1/steps")).EnumerateArray().Where(s => !s.GetProperty("succeeded").GetBoolean()).ToList();
            return failed.Count >= 2 ? failed : null;
        });

        Assert.All(failures, f => Assert.Equal("vm-1", f.GetProperty("target").GetString()));
        // each attempt either reached the (unreachable) hypervisor or was held back by a destination's open circuit breaker
        Assert.All(failures, f => Assert.Matches(
            "^(cannot read the state of VM 'vm-1' on 'host-01': failed to connect to the hypervisor|not attempted: the circuit breaker of host-0[23] is open)", f.GetProperty("message").GetString()));
        Assert.Contains(failures, f => f.GetProperty("message").GetString()!.StartsWith("cannot read the state of VM 'vm-1' on 'host-01'", StringComparison.Ordinal));
        Assert.Equal(failures.Count, failures.Select(f => f.GetProperty("step").GetString()).Distinct().Count());
        var journal = (await GetAsync("/api/v1/journal/vm-1")).EnumerateArray().ToList();
        Assert.Contains(journal, e => e.GetProperty("state").GetString() == "Failed" && e.GetProperty("step").GetString() == failures[0].GetProperty("step").GetString());
        Assert.Contains(_alerts.Published, a => a.Condition == AlertConditions.EvacuationFailed && a.Host == "host-01" && a.Severity == AlertSeverity.Critical);
        Assert.Equal("host-01", (await GetAsync("/api/v1/placements")).GetProperty("vm-1").GetString());
        Assert.Equal("ok", await _http!.GetStringAsync("/healthz"));
    }

    private Task StartDaemonAsync(Dictionary<string, string>? hostStates, params (string Host, string QmpSocket, string? IncomingUri)[] instances)
    {
        var overrides = new List<string> { "--Datacenter:Hypervisor=Qemu", "--Hypervisors:Qemu:ProgressPollInterval=00:00:00.050" };
        for (var i = 0; i < instances.Length; i++)
        {
            overrides.Add($"--Hypervisors:Qemu:Instances:{i}:Vm=vm-1");
            overrides.Add($"--Hypervisors:Qemu:Instances:{i}:Host={instances[i].Host}");
            overrides.Add($"--Hypervisors:Qemu:Instances:{i}:QmpSocket={instances[i].QmpSocket}");
            if (instances[i].IncomingUri is { } uri)
            {
                overrides.Add($"--Hypervisors:Qemu:Instances:{i}:IncomingUri={uri}");
            }
        }

        return StartAsync(hostStates, overrides);
    }

    /// <summary>Writes the three-host inventory (vm-1 on host-01) and starts the daemon with a one-second pass on it.</summary>
    private async Task StartAsync(Dictionary<string, string>? hostStates, List<string> hypervisor)
    {
        var inventory = Path.Combine(_directory, "inventory.json");
        var hosts = new[] { "host-01", "host-02", "host-03" }.Select((h, i) => new Dictionary<string, object>
        {
            ["id"] = h, ["rack"] = $"r{i + 1}", ["faultDomain"] = i + 1, ["updateDomain"] = i + 1, ["cpuGeneration"] = 3, ["cores"] = 4,
            ["memoryGiB"] = 4, ["diskGiB"] = 100, ["nicGbps"] = 10, ["state"] = hostStates?.GetValueOrDefault(h) ?? "active",
        });
        var vms = new[]
        {
            new Dictionary<string, object>
            {
                ["id"] = "vm-1", ["host"] = "host-01", ["vcpus"] = 1, ["memoryGiB"] = 0.0625, ["diskGiB"] = 1, ["series"] = "general",
                ["dirtyRateMiBps"] = 1, ["liveMigratable"] = true, ["memoryPreservingCapable"] = true,
            },
        };
        await File.WriteAllTextAsync(inventory, JsonSerializer.Serialize(new { datacenter = "lab", hosts, vms }));
        var overrides = new List<string>(hypervisor)
        {
            $"--Datacenter:InventoryPath={inventory}",
            "--Pipeline:Interval=00:00:01", "--Risk:ModelPath=", "--Urls=http://127.0.0.1:0",
            // passes every second: a host's circuit breaker, once open, lets a trial step through after 2 s
            "--Executor:CircuitBreakerBreak=00:00:02",
            $"--Executor:JournalPath={Path.Combine(_directory, "journal.db")}", "--Notifications:OwnerEvents:DatabasePath=:memory:",
            $"--Automation:KillSwitchFile={Path.Combine(_directory, "kill-switch")}", "--Logging:LogLevel:Microsoft.AspNetCore=Warning",
        };

        var telemetry = new FailingDiskTelemetry(["host-01", "host-02", "host-03"], failing: "host-01", TimeProvider.System.GetUtcNow());
        _app = DaemonComposition.Build(new RunSettings(null, 1, null, overrides, Verbose: false), configureServices: services =>
        {
            services.AddSingleton<ITelemetrySource>(telemetry);
            services.AddSingleton<IAlertPublisher>(_alerts);
        });
        Assert.Empty(DaemonComposition.ValidateConfiguration(_app.Services));
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
    }

    private async Task<JsonElement> GetAsync(string path) => await _http!.GetFromJsonAsync<JsonElement>(path);

    /// <summary>Polls until <paramref name="probe"/> returns a value, failing after <see cref="Bound"/>.</summary>
    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe)
    {
        using var deadline = new CancellationTokenSource(Bound);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            Assert.False(deadline.IsCancellationRequested, $"the daemon did not get there within {Bound.TotalSeconds} s");
            await Task.Delay(100);
        }
    }

    private static async Task<string> StatusAsync(QemuInstance instance)
    {
        await using var observer = await QmpClient.ConnectAsync(instance.ObserverSocket, TimeSpan.FromSeconds(10), TimeProvider.System, NullLogger.Instance, CancellationToken.None);
        return (await observer.ExecuteAsync("query-status", null, CancellationToken.None)).GetProperty("status").GetString()!;
    }

    /// <summary>Healthy telemetry every 5 minutes for six hours back, and on one host reallocated sectors rising by 2 an hour.</summary>
    private sealed class FailingDiskTelemetry(string[] hosts, string failing, DateTimeOffset start) : ITelemetrySource
    {
        private static readonly TimeSpan Step = TimeSpan.FromMinutes(5);
        private DateTimeOffset _emittedUntil = start - TimeSpan.FromHours(6);

        public ValueTask IngestUntilAsync(DateTimeOffset now, ITelemetrySink sink, CancellationToken cancellationToken)
        {
            for (var t = _emittedUntil + Step; t <= now + Step; t += Step)
            {
                var at = t > now ? now : t;
                foreach (var host in hosts)
                {
                    var reallocated = host == failing ? Math.Floor((at - (start - TimeSpan.FromHours(6))).TotalHours * 2) : 0;
                    sink.Write(new TelemetrySample(host, SignalNames.SmartReallocatedSectors, "sda", at, reallocated));
                    sink.Write(new TelemetrySample(host, SignalNames.SmartPendingSectors, "sda", at, 0));
                    sink.Write(new TelemetrySample(host, SignalNames.CpuTemperature, null, at, 55));
                    sink.Write(new TelemetrySample(host, SignalNames.FanSpeed, "fan1", at, 8000));
                    sink.Write(new TelemetrySample(host, SignalNames.PsuOk, "psu1", at, 1));
                    sink.Write(new TelemetrySample(host, SignalNames.MemoryCorrectableTotal, null, at, 3));
                }

                _emittedUntil = at;
                if (at == now)
                {
                    break;
                }
            }

            return ValueTask.CompletedTask;
        }
    }
}
