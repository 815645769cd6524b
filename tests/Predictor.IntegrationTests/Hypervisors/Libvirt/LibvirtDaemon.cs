using System.Diagnostics;
using System.Globalization;
using System.Text;
using Predictor.Execution.Hypervisors.Libvirt;

namespace Predictor.IntegrationTests.Hypervisors.Libvirt;

/// <summary>
/// One real system-mode libvirtd in its own mount namespace: <c>unshare --mount</c> bind-mounts private
/// directories over /etc/libvirt, /var/lib/libvirt, /var/cache/libvirt, /var/log/libvirt and /run/libvirt
/// and then execs libvirtd, so two daemons on one machine share no configuration, state, domain or lock.
/// Its sockets live outside those directories (visible to every process), and its host UUID is its own,
/// so libvirt treats a migration between two of them as one between two hosts. The QEMU driver runs
/// domains as root without cgroups, security labels or virtlogd.
/// </summary>
internal sealed class LibvirtDaemon : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(10);

    /// <summary>What each directory the daemon uses is replaced with, inside its namespace.</summary>
    private static readonly (string Private, string Mountpoint)[] Directories =
    [
        ("etc", "/etc/libvirt"), ("lib", "/var/lib/libvirt"), ("cache", "/var/cache/libvirt"), ("log", "/var/log/libvirt"), ("run", "/run/libvirt"),
    ];

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private LibvirtDaemon(string host, string directory, Guid hostUuid, Process process)
    {
        Host = host;
        Directory = directory;
        HostUuid = hostUuid;
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The host id this daemon stands for.</summary>
    public string Host { get; }

    /// <summary>Configuration, state, logs and sockets of this daemon.</summary>
    public string Directory { get; }

    public Guid HostUuid { get; }

    /// <summary>The libvirtd process (unshare execs a shell that execs libvirtd, so the id is libvirtd's).</summary>
    public int Pid => _process.Id;

    public string Socket => Path.Combine(Directory, "sock", "libvirt-sock");

    /// <summary>The connection URI a client on this machine (or the other daemon, peer to peer) uses.</summary>
    public string Uri => "qemu+unix:///system?socket=" + Socket;

    /// <summary>Where libvirt caches what it probed of each QEMU binary (seconds of TCG work per daemon).</summary>
    public string CapabilitiesCache => Path.Combine(Directory, "cache", "qemu", "capabilities");

    /// <summary>Writes the configuration, starts the daemon and waits until <c>virsh version</c> answers through its socket.</summary>
    /// <param name="capabilities">QEMU capability files another daemon on this machine probed, so this one need not probe again.</param>
    public static async Task<LibvirtDaemon> StartAsync(string host, string directory, Guid hostUuid, string libvirtd, IVirshRunner virsh, IReadOnlyDictionary<string, byte[]> capabilities)
    {
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "sock"));
        foreach (var (name, _) in Directories)
        {
            System.IO.Directory.CreateDirectory(Path.Combine(directory, name));
        }

        var cache = System.IO.Directory.CreateDirectory(Path.Combine(directory, "cache", "qemu", "capabilities")).FullName;
        foreach (var (file, content) in capabilities)
        {
            await File.WriteAllBytesAsync(Path.Combine(cache, file), content);
        }

        await File.WriteAllTextAsync(Path.Combine(directory, "etc", "libvirtd.conf"), string.Join('\n',
            $"unix_sock_dir = \"{Path.Combine(directory, "sock")}\"",
            "unix_sock_rw_perms = \"0700\"",
            "auth_unix_rw = \"none\"",
            "auth_unix_ro = \"none\"",
            $"host_uuid = \"{hostUuid}\"",
            $"log_outputs = \"3:file:{Path.Combine(directory, "libvirtd.log")}\"",
            ""));

        // QEMU as root with no cgroups, no security driver and no ownership changes (nothing here needs them),
        // and guest console output to a file rather than through virtlogd.
        await File.WriteAllTextAsync(Path.Combine(directory, "etc", "qemu.conf"), string.Join('\n',
            "user = \"root\"",
            "group = \"root\"",
            "dynamic_ownership = 0",
            "remember_owner = 0",
            "security_driver = \"none\"",
            "cgroup_controllers = [ ]",
            "stdio_handler = \"file\"",
            ""));

        // The mountpoints must exist before a bind mount; on a machine without libvirt-daemon-system they do not.
        var script = new StringBuilder("set -e\n");
        foreach (var (name, mountpoint) in Directories)
        {
            script.Append(CultureInfo.InvariantCulture, $"mkdir -p '{mountpoint}'\nmount --bind \"$1/{name}\" '{mountpoint}'\n");
        }

        script.Append("exec \"$2\" --config \"$1/etc/libvirtd.conf\" --pid-file \"$1/libvirtd.pid\"\n");
        var start = new ProcessStartInfo("unshare")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--mount", "--propagation", "private", "--", "/bin/sh", "-c", script.ToString(), "sh", directory, libvirtd })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start unshare (util-linux)");
        var daemon = new LibvirtDaemon(host, directory, hostUuid, process);
        try
        {
            await daemon.WaitUntilReadyAsync(virsh);
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }

        return daemon;
    }

    /// <summary>What libvirtd printed and logged (warnings and errors), for failure messages.</summary>
    public string Diagnostics()
    {
        var log = Path.Combine(Directory, "libvirtd.log");
        string output;
        lock (_output)
        {
            output = _output.ToString();
        }

        return $"libvirtd '{Host}' (pid {Pid}, host UUID {HostUuid}, {Directory}) output:\n{output}\nlog:\n{(File.Exists(log) ? File.ReadAllText(log) : "(none)")}";
    }

    /// <summary>
    /// Kills libvirtd and then every QEMU it started, each by the PID recorded (libvirt keeps one pid file per
    /// running domain in its run directory); QEMU is daemonized by libvirt, so it outlives libvirtd otherwise.
    /// </summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            using var exit = new CancellationTokenSource(ExitTimeout);
            await _process.WaitForExitAsync(exit.Token);
        }

        var qemuRun = Path.Combine(Directory, "run", "qemu");
        if (!System.IO.Directory.Exists(qemuRun))
        {
            return;
        }

        foreach (var pidFile in System.IO.Directory.EnumerateFiles(qemuRun, "*.pid"))
        {
            if (Path.GetFileName(pidFile) == "driver.pid"
                || !int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                || !IsQemu(pid))
            {
                continue;
            }

            using var qemu = Process.GetProcessById(pid);
            qemu.Kill();
            var waited = Stopwatch.StartNew();
            while (!HasEnded(pid) && waited.Elapsed < ExitTimeout)
            {
                await Task.Delay(20);
            }
        }
    }

    /// <summary>True once the process is gone or a zombie (QEMU's parent is init, which reaps it in its own time).</summary>
    private static bool HasEnded(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].TrimStart();
            return state.StartsWith('Z') || state.StartsWith('X');
        }
        catch (IOException)
        {
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    private static bool IsQemu(int pid)
    {
        try
        {
            return File.ResolveLinkTarget($"/proc/{pid}/exe", returnFinalTarget: false)?.FullName.Contains("qemu-system", StringComparison.Ordinal) == true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private async Task WaitUntilReadyAsync(IVirshRunner virsh)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync();
                throw new InvalidOperationException($"libvirtd '{Host}' exited with code {_process.ExitCode} before it answered on {Socket}.\n{Diagnostics()}");
            }

            var version = await virsh.RunAsync(["-c", Uri, "version"], TimeSpan.FromSeconds(10), CancellationToken.None);
            if (version.Succeeded)
            {
                return;
            }

            if (waited.Elapsed > ReadyTimeout)
            {
                throw new TimeoutException($"libvirtd '{Host}' did not answer 'virsh version' on {Socket} within {ReadyTimeout.TotalSeconds} s: {version.Error}\n{Diagnostics()}");
            }

            await Task.Delay(50);
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 100_000)
            {
                _output.AppendLine(line);
            }
        }
    }
}
