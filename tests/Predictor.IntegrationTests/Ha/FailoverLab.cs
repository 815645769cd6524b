using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Predictor.Core.Files;
using Predictor.Execution.Hypervisors.Qmp;
using Predictor.Testing.Http;
using Predictor.Testing.Postgres;
using Predictor.Testing.Qemu;

namespace Predictor.IntegrationTests.Ha;

/// <summary>
/// Two daemons for one datacenter on a real PostgreSQL and real QEMU: host-01 holds <see cref="VmCount"/> tiny VMs, each
/// with an incoming instance on host-02; both daemons scrape the same node_exporter targets (served here), and once
/// <see cref="FailDisk"/> is called host-01's disk reports reallocated sectors, so the leader quarantines it and evacuates
/// it two migrations at a time. The lab watches each source VM through its second QMP socket and counts the migrations
/// QEMU was asked to start (a MIGRATION event with status "setup" each), the ground truth for "no migration issued twice".
/// </summary>
internal sealed class FailoverLab : IAsyncDisposable
{
    public const int VmCount = 4;
    public const string Token = "failover-test-operators-token-0123456789";
    private const long MarkerOffset = 16L * 1024 * 1024;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(150);

    private readonly QemuLab _qemu = new();
    private readonly List<QemuInstance> _sources = [];
    private readonly List<QemuInstance> _destinations = [];
    private readonly List<byte[]> _markers = [];
    private readonly List<QmpClient> _observers = [];
    private readonly ConcurrentDictionary<int, ConcurrentQueue<DateTimeOffset>> _migrationsStarted = new();
    private readonly List<DaemonProcess> _daemons = [];
    private readonly List<BlackholeProxy> _proxies = [];
    private readonly Dictionary<string, string> _settings;
    private RecordingServer _scrape = null!;
    private volatile bool _diskFailing;

    private FailoverLab(string connectionString, Dictionary<string, string> settings)
    {
        ConnectionString = connectionString;
        _settings = settings;
    }

    /// <summary>The database both daemons share (the test reads the lease and the journal from it directly).</summary>
    public string ConnectionString { get; }

    public string Directory => _qemu.WorkDirectory;

    /// <summary>The lease settings the daemons run with, as configuration keys (Ha:LeaseTimeout, …); defaults when empty.</summary>
    public TimeSpan LeaseTimeout => _settings.TryGetValue("LeaseTimeout", out var text) ? TimeSpan.Parse(text, CultureInfo.InvariantCulture) : TimeSpan.FromSeconds(10);

    public TimeSpan StandDownMargin => _settings.TryGetValue("StandDownMargin", out var text) ? TimeSpan.Parse(text, CultureInfo.InvariantCulture) : TimeSpan.FromSeconds(3);

    public static async Task<FailoverLab> StartAsync(PostgresServer postgres, Dictionary<string, string>? ha = null)
    {
        var lab = new FailoverLab(await postgres.CreateDatabaseAsync(), ha ?? []);
        try
        {
            await lab.StartVmsAsync();
            lab._scrape = await RecordingServer.StartAsync();
            lab._scrape.Respond = request => (200, lab.Exposition(request.Path));
            await lab.WriteInventoryAsync();
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>From now on host-01's disk reports reallocated sectors: the leader quarantines host-01 and evacuates it.</summary>
    public void FailDisk() => _diskFailing = true;

    /// <summary>Starts daemon <paramref name="node"/>; through a black-hole proxy in front of PostgreSQL when asked.</summary>
    public async Task<(DaemonProcess Daemon, BlackholeProxy? Proxy)> StartDaemonAsync(string node, bool throughProxy = false)
    {
        var directory = System.IO.Directory.CreateDirectory(Path.Combine(Directory, node)).FullName;
        var port = QemuLab.FreeTcpPort();
        var url = new Uri($"http://127.0.0.1:{port}/");
        BlackholeProxy? proxy = null;
        var connection = new NpgsqlConnectionStringBuilder(ConnectionString);
        if (throughProxy)
        {
            proxy = new BlackholeProxy(connection.Port);
            _proxies.Add(proxy);
            connection.Port = proxy.Port;
        }

        // the connection string holds the password: a file of the daemon's alone, as in production
        var secret = Path.Combine(directory, "connection-string");
        using (var writer = new StreamWriter(secret, PrivateFiles.Create(FileMode.Create, FileAccess.Write, FileShare.Read)))
        {
            await writer.WriteAsync(connection.ConnectionString);
        }

        var ha = new Dictionary<string, object> { ["ConnectionStringFile"] = secret, ["NodeId"] = node, ["AdvertiseUrl"] = url.ToString() };
        foreach (var (key, value) in _settings)
        {
            ha[key] = value;
        }

        var config = Path.Combine(directory, "predictor.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["Urls"] = $"http://127.0.0.1:{port}",
            ["Ha"] = ha,
            ["Api"] = new { Token },
            ["Datacenter"] = new { Hypervisor = "Qemu", InventoryPath = Path.Combine(Directory, "inventory.json") },
            ["Hypervisors"] = new { Qemu = new { ProgressPollInterval = "00:00:00.050", Instances = Instances() } },
            ["Telemetry"] = new { Source = "Scrape" },
            ["Scrape"] = new
            {
                Interval = "00:00:01",
                Timeout = "00:00:00.900",
                Targets = new[] { "host-01", "host-02" }.Select(h => new { Host = h, Url = new Uri(_scrape.BaseUrl, $"metrics/{h}") }).ToArray(),
            },
            ["Pipeline"] = new { Interval = "00:00:01" },
            ["Risk"] = new { ModelPath = "" },
            ["Limits"] = new { MaxConcurrent = 2, MaxOutboundPerHost = 2, MaxInboundPerHost = 2 },
            ["Automation"] = new { KillSwitchFile = Path.Combine(directory, "kill-switch") },
            ["Notifications"] = new { OwnerEvents = new { DatabasePath = ":memory:" } },
            ["Logging"] = new { LogLevel = new Dictionary<string, string> { ["Microsoft.AspNetCore"] = "Warning" } },
        }));
        var daemon = DaemonProcess.Start(node, config, directory, url);
        _daemons.Add(daemon);
        return (daemon, proxy);
    }

    /// <summary>Waits until <paramref name="daemon"/> says it leads (its API answers with role leader).</summary>
    public Task WaitForRoleAsync(DaemonProcess daemon, string role) =>
        WaitForAsync(async () => await daemon.HaAsync() is { } ha && ha.GetProperty("role").GetString() == role, $"{daemon.Node} to be {role}");

    /// <summary>Waits until <paramref name="daemon"/> is a standby that sees <paramref name="leader"/> hold the lease.</summary>
    public Task WaitForFollowerAsync(DaemonProcess daemon, string leader) =>
        WaitForAsync(async () => await daemon.HaAsync() is { } ha && ha.GetProperty("role").GetString() == "standby" && ha.GetProperty("leader").GetString() == leader,
            $"{daemon.Node} to follow {leader}");

    /// <summary>Waits until one of two daemons started together leads and the other follows it; returns them in that order.</summary>
    public async Task<(DaemonProcess Leader, DaemonProcess Follower)> LeaderAndFollowerAsync(DaemonProcess one, DaemonProcess other)
    {
        (DaemonProcess, DaemonProcess)? found = null;
        await WaitForAsync(async () =>
        {
            foreach (var (leader, follower) in new[] { (one, other), (other, one) })
            {
                if (await leader.HaAsync() is { } ha && ha.GetProperty("role").GetString() == "leader"
                    && await follower.HaAsync() is { } seen && seen.GetProperty("role").GetString() == "standby" && seen.GetProperty("leader").GetString() == leader.Node)
                {
                    found = (leader, follower);
                    return true;
                }
            }

            return false;
        }, $"{one.Node} or {other.Node} to lead, the other to follow");
        return found!.Value;
    }

    /// <summary>Polls <paramref name="done"/> every 100 ms for at most <see cref="Bound"/>, failing with the daemons' logs.</summary>
    public async Task WaitForAsync(Func<Task<bool>> done, string what)
    {
        using var deadline = new CancellationTokenSource(Bound);
        while (!await done())
        {
            if (deadline.IsCancellationRequested)
            {
                Assert.Fail($"waited {Bound.TotalSeconds} s for {what}\n{string.Join('\n', _daemons.Select(d => d.Tail()))}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>How often QEMU was asked to migrate each VM off host-01, with when.</summary>
    public IReadOnlyDictionary<int, DateTimeOffset[]> MigrationsStarted() =>
        Enumerable.Range(0, VmCount).ToDictionary(i => i, i => _migrationsStarted.TryGetValue(i, out var q) ? q.ToArray() : []);

    /// <summary>Every term of the lease: token, holder, when it was taken (database clock).</summary>
    public async Task<List<(long Token, string Holder, DateTimeOffset At)>> TermsAsync() =>
        await QueryAsync("SELECT fencing_token, holder, acquired_at FROM predictor_leaders ORDER BY fencing_token", r => (r.GetInt64(0), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2)));

    /// <summary>The journal's transitions written under <paramref name="token"/> or a later one: state, target, when written (database clock).</summary>
    public async Task<List<(string State, string Target, string? Message, DateTimeOffset WrittenAt)>> WritesSinceAsync(long token) =>
        await QueryAsync(
            $"SELECT state, target, message, written_at FROM predictor_journal_transitions WHERE fencing_token >= {token.ToString(CultureInfo.InvariantCulture)} ORDER BY seq",
            r => (r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetFieldValue<DateTimeOffset>(3)));

    /// <summary>Steps whose last state is Started.</summary>
    public async Task<int> InFlightAsync() => (await QueryAsync("SELECT count(*) FROM predictor_journal_steps WHERE state = 'Started'", r => r.GetInt64(0)))[0] is var n ? (int)n : 0;

    /// <summary>When the lease the current holder holds runs out (database clock).</summary>
    public async Task<(string? Holder, long Token, DateTimeOffset ExpiresAt)> LeaseAsync() =>
        (await QueryAsync("SELECT holder, fencing_token, expires_at FROM predictor_lease WHERE id = 1", r => (r.IsDBNull(0) ? null : r.GetString(0), r.GetInt64(1), r.GetFieldValue<DateTimeOffset>(2))))[0];

    /// <summary>Each VM's last journal state.</summary>
    public async Task<Dictionary<string, string>> LastStatesAsync() =>
        (await QueryAsync("SELECT DISTINCT ON (target) target, state FROM predictor_journal_transitions ORDER BY target, seq DESC", r => (r.GetString(0), r.GetString(1))))
            .ToDictionary(r => r.Item1, r => r.Item2, StringComparer.Ordinal);

    /// <summary>Where each VM runs: "host-02" moved, "host-01" stayed; fails when it runs on both or on neither, or its RAM changed.</summary>
    public async Task<string[]> WhereVmsRunAsync()
    {
        var hosts = new string[VmCount];
        for (var i = 0; i < VmCount; i++)
        {
            var onSource = await SourceRunsAsync(i);
            var onDestination = await DestinationRunsAsync(i);
            Assert.True(onSource ^ onDestination, $"vm-{i} runs on host-01: {onSource}, on host-02: {onDestination}; it must run exactly once");
            var instance = onSource ? _sources[i] : _destinations[i];
            Assert.True(_markers[i].AsSpan().SequenceEqual(instance.ReadMemory().AsSpan((int)MarkerOffset, _markers[i].Length)), $"vm-{i}'s guest RAM differs on {(onSource ? "host-01" : "host-02")}");
            hosts[i] = onSource ? "host-01" : "host-02";
        }

        return hosts;
    }

    /// <summary>True once vm-<paramref name="i"/> runs on host-02.</summary>
    public async Task<bool> MovedAsync(int i) => await DestinationRunsAsync(i);

    /// <summary>True when vm-<paramref name="i"/> can no longer move: its incoming instance on host-02 has exited (an incoming migration was cancelled).</summary>
    public bool DestinationGone(int i) => _destinations[i].HasExited;

    public async ValueTask DisposeAsync()
    {
        foreach (var daemon in _daemons)
        {
            daemon.Dispose();
        }

        foreach (var observer in _observers)
        {
            await observer.DisposeAsync();
        }

        foreach (var proxy in _proxies)
        {
            await proxy.DisposeAsync();
        }

        if (_scrape is not null)
        {
            await _scrape.DisposeAsync();
        }

        await _qemu.DisposeAsync();
    }

    private async Task StartVmsAsync()
    {
        for (var i = 0; i < VmCount; i++)
        {
            var source = await _qemu.StartAsync($"vm-{i}-host-01", incoming: false);
            _sources.Add(source);
            _destinations.Add(await _qemu.StartAsync($"vm-{i}-host-02", incoming: true));
            var marker = new byte[4096];
            new Random(i).NextBytes(marker);
            source.WriteMemory(MarkerOffset, marker);
            _markers.Add(marker);
            // held for the whole run: QEMU sends every monitor its events, the daemons' migrations included
            var observer = await QmpClient.ConnectAsync(source.ObserverSocket, TimeSpan.FromSeconds(10), TimeProvider.System, NullLogger.Instance, CancellationToken.None);
            var vm = i;
            observer.EventReceived += e =>
            {
                if (e.MigrationStatus == "setup")
                {
                    _migrationsStarted.GetOrAdd(vm, _ => new()).Enqueue(e.Timestamp);
                }
            };
            _observers.Add(observer);
        }
    }

    private object[] Instances() => [.. Enumerable.Range(0, VmCount).SelectMany(i => new object[]
    {
        new { Vm = $"vm-{i}", Host = "host-01", QmpSocket = _sources[i].QmpSocket },
        new { Vm = $"vm-{i}", Host = "host-02", QmpSocket = _destinations[i].QmpSocket, IncomingUri = _destinations[i].IncomingUri },
    })];

    private Task WriteInventoryAsync()
    {
        var hosts = new[] { "host-01", "host-02" }.Select((h, i) => new Dictionary<string, object>
        {
            ["id"] = h, ["rack"] = $"r{i + 1}", ["faultDomain"] = i + 1, ["updateDomain"] = i + 1, ["cpuGeneration"] = 3, ["cores"] = 8,
            ["memoryGiB"] = 8, ["diskGiB"] = 100, ["nicGbps"] = 10, ["state"] = "active",
        });
        var vms = Enumerable.Range(0, VmCount).Select(i => new Dictionary<string, object>
        {
            ["id"] = $"vm-{i}", ["host"] = "host-01", ["vcpus"] = 1, ["memoryGiB"] = 0.0625, ["diskGiB"] = 1, ["series"] = "general",
            ["dirtyRateMiBps"] = 1, ["liveMigratable"] = true, ["memoryPreservingCapable"] = true,
        });
        return File.WriteAllTextAsync(Path.Combine(Directory, "inventory.json"), JsonSerializer.Serialize(new { datacenter = "failover-lab", hosts, vms }));
    }

    /// <summary>node_exporter's text for a host: its disk's reallocated sectors (host-01's rise once the disk fails).</summary>
    private string Exposition(string path)
    {
        var reallocated = path.EndsWith("host-01", StringComparison.Ordinal) && _diskFailing ? 24 : 0;
        return "# TYPE smartmon_reallocated_sector_ct_raw_value gauge\n" +
            $"smartmon_reallocated_sector_ct_raw_value{{disk=\"/dev/sda\"}} {reallocated}\n" +
            "# TYPE smartmon_current_pending_sector_raw_value gauge\n" +
            "smartmon_current_pending_sector_raw_value{disk=\"/dev/sda\"} 0\n";
    }

    private async Task<bool> SourceRunsAsync(int i)
    {
        if (_sources[i].HasExited)
        {
            return false;
        }

        try
        {
            var status = await _observers[i].ExecuteAsync("query-status", null, CancellationToken.None);
            return status.GetProperty("status").GetString() == "running";
        }
        catch (QmpConnectionException)
        {
            // a retired source closes its monitors as it quits: it runs nothing
            Assert.True(await _sources[i].WaitForExitAsync(TimeSpan.FromSeconds(10)), $"vm-{i}-host-01 refuses QMP but has not exited");
            return false;
        }
    }

    private async Task<bool> DestinationRunsAsync(int i)
    {
        if (_destinations[i].HasExited)
        {
            return false;
        }

        try
        {
            await using var observer = await QmpClient.ConnectAsync(_destinations[i].ObserverSocket, TimeSpan.FromSeconds(10), TimeProvider.System, NullLogger.Instance, CancellationToken.None);
            return (await observer.ExecuteAsync("query-status", null, CancellationToken.None)).GetProperty("status").GetString() == "running";
        }
        catch (QmpConnectionException)
        {
            Assert.True(await _destinations[i].WaitForExitAsync(TimeSpan.FromSeconds(10)), $"vm-{i}-host-02 refuses QMP but has not exited");
            return false;
        }
    }

    private async Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
