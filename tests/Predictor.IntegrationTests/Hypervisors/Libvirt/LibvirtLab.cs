using System.Collections.Concurrent;
using System.Security;
using Microsoft.Extensions.Options;
using Predictor.Execution.Hypervisors.Libvirt;
using Predictor.Testing.Qemu;

namespace Predictor.IntegrationTests.Hypervisors.Libvirt;

/// <summary>
/// Two libvirt hosts on this machine, "h1" and "h2": two independent libvirtd (see <see cref="LibvirtDaemon"/>)
/// with distinct host UUIDs, reached through their own unix sockets, with migration data over loopback TCP.
/// Domains are tiny TCG guests (64 MiB, no disks, no devices) running a firmware that halts the vCPU, with
/// their RAM in a shared file under the daemon's directory, so a test can write the guest's memory on one
/// host and read it back on the other. Dispose stops both daemons and every QEMU they started, and deletes
/// their directories.
/// </summary>
internal sealed class LibvirtLab : IAsyncDisposable
{
    public const long GuestMemoryBytes = 64L * 1024 * 1024;

    /// <summary>
    /// libvirt's cache of what it probed of each QEMU binary, taken from the first daemon this test run started:
    /// probing takes a fresh daemon about 8 s of TCG work on 2 cores, the cached answer is valid for every
    /// daemon on this machine, and libvirt re-probes by itself if the binaries changed.
    /// </summary>
    private static readonly ConcurrentDictionary<string, byte[]> Capabilities = new(StringComparer.Ordinal);

    private readonly List<LibvirtDaemon> _daemons = [];

    private LibvirtLab(string virshPath, string workDirectory)
    {
        VirshPath = virshPath;
        WorkDirectory = workDirectory;
        Virsh = new VirshProcessRunner(Options.Create(new LibvirtHypervisorOptions { VirshPath = virshPath }), TimeProvider.System);
    }

    public string VirshPath { get; }

    public string WorkDirectory { get; }

    /// <summary>virsh for the test's own setup and checks (the code under test has its own).</summary>
    public IVirshRunner Virsh { get; }

    public LibvirtDaemon H1 => _daemons[0];

    public LibvirtDaemon H2 => _daemons[1];

    private string Firmware => Path.Combine(WorkDirectory, "halt.bin");

    /// <summary>Starts both daemons; fails with what to install or fix when this machine cannot run them.</summary>
    public static async Task<LibvirtLab> StartAsync()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            throw new SecurityException("the libvirt tests need root: each libvirtd runs in system mode in its own mount namespace (unshare --mount)");
        }

        var libvirtd = Find("libvirtd", "libvirt-daemon");
        var virsh = Find("virsh", "libvirt-clients");
        QemuLab.FindQemu();
        if (!File.ReadLines("/etc/passwd").Any(l => l.StartsWith("libvirt-qemu:", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException(
                "the system account 'libvirt-qemu' does not exist; libvirtd's QEMU driver refuses to start without it. deploy/dev/install-deps.sh creates it.");
        }

        var root = Path.Combine(Path.GetTempPath(), "predictor-libvirt-" + Guid.NewGuid().ToString("N")[..12]);
        var lab = new LibvirtLab(virsh, root);
        try
        {
            Directory.CreateDirectory(root);
            QemuLab.WriteHaltingFirmware(lab.Firmware);
            foreach (var host in new[] { "h1", "h2" })
            {
                var daemon = await LibvirtDaemon.StartAsync(host, Path.Combine(root, host), Guid.NewGuid(), libvirtd, lab.Virsh, Capabilities);
                lab._daemons.Add(daemon);
                if (Capabilities.IsEmpty && Directory.Exists(daemon.CapabilitiesCache))
                {
                    foreach (var file in Directory.EnumerateFiles(daemon.CapabilitiesCache, "*.xml"))
                    {
                        Capabilities.TryAdd(Path.GetFileName(file), await File.ReadAllBytesAsync(file));
                    }
                }
            }
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }

        return lab;
    }

    /// <summary>Adapter options for h1 and h2: migration data to 127.0.0.1, where the destination's QEMU listens.</summary>
    public LibvirtHypervisorOptions HypervisorOptions(bool peerToPeer = true)
    {
        var options = new LibvirtHypervisorOptions
        {
            VirshPath = VirshPath,
            PeerToPeer = peerToPeer,
            CommandTimeout = TimeSpan.FromSeconds(20),
            MigrationTimeout = TimeSpan.FromSeconds(60),
            ProgressPollInterval = TimeSpan.FromMilliseconds(50),
        };
        foreach (var daemon in _daemons)
        {
            options.Hosts.Add(new LibvirtHostOptions { Host = daemon.Host, Uri = daemon.Uri, MigrationUri = "tcp://127.0.0.1", MigrationListenAddress = "127.0.0.1" });
        }

        return options;
    }

    /// <summary>Defines a persistent TCG domain on the daemon and starts it.</summary>
    public async Task StartDomainAsync(LibvirtDaemon daemon, string name)
    {
        var xml = Path.Combine(WorkDirectory, name + ".xml");
        await File.WriteAllTextAsync(xml, $"""
            <domain type='qemu'>
              <name>{name}</name>
              <memory unit='KiB'>{GuestMemoryBytes / 1024}</memory>
              <memoryBacking><source type='file'/><access mode='shared'/></memoryBacking>
              <vcpu>1</vcpu>
              <os>
                <type arch='x86_64' machine='pc'>hvm</type>
                <loader readonly='yes' type='rom'>{Firmware}</loader>
              </os>
              <on_poweroff>destroy</on_poweroff>
              <on_reboot>restart</on_reboot>
              <on_crash>destroy</on_crash>
              <devices>
                <emulator>{QemuLab.FindQemu()}</emulator>
                <controller type='usb' model='none'/>
                <video><model type='none'/></video>
                <memballoon model='none'/>
              </devices>
            </domain>
            """);
        await VirshOkAsync(daemon, "define", xml);
        await VirshOkAsync(daemon, "start", name);
    }

    /// <summary>Fills the running domain's RAM on the daemon with a reproducible pseudo-random pattern and returns it.</summary>
    public byte[] FillMemoryWithPattern(LibvirtDaemon daemon, string name, int seed)
    {
        var pattern = new byte[GuestMemoryBytes];
        new Random(seed).NextBytes(pattern);
        using var file = new FileStream(MemoryFile(daemon, name), FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        file.Write(pattern);
        return pattern;
    }

    /// <summary>The running domain's whole RAM on the daemon, as it is now.</summary>
    public byte[] ReadMemory(LibvirtDaemon daemon, string name)
    {
        using var file = new FileStream(MemoryFile(daemon, name), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var bytes = new byte[file.Length];
        file.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>
    /// The RAM file of the running domain: libvirt's default memory_backing_dir is /var/lib/libvirt/qemu/ram,
    /// which for this daemon is its private lib directory; each start gets a "&lt;domain id&gt;-&lt;name&gt;" directory.
    /// </summary>
    public static string MemoryFile(LibvirtDaemon daemon, string name)
    {
        var ram = Path.Combine(daemon.Directory, "lib", "qemu", "ram");
        var files = Directory.Exists(ram) ? Directory.GetFiles(ram, "pc.ram", SearchOption.AllDirectories).Where(f => Path.GetFileName(Path.GetDirectoryName(f)!).EndsWith("-" + name, StringComparison.Ordinal)).ToList() : [];
        return files.Count == 1 ? files[0] : throw new InvalidOperationException($"expected one RAM file of domain '{name}' under {ram}, found {files.Count}");
    }

    /// <summary>Runs virsh against the daemon and returns its output; throws with the daemon's diagnostics if it fails.</summary>
    public async Task<string> VirshOkAsync(LibvirtDaemon daemon, params string[] arguments)
    {
        var result = await Virsh.RunAsync(["-c", daemon.Uri, .. arguments], TimeSpan.FromSeconds(30), CancellationToken.None);
        return result.Succeeded
            ? result.StandardOutput.Trim()
            : throw new InvalidOperationException($"virsh {string.Join(' ', arguments)} on '{daemon.Host}' failed: {result.Error}\n{daemon.Diagnostics()}");
    }

    /// <summary>The names of every domain, running or not, the daemon knows.</summary>
    public async Task<string[]> DomainsAsync(LibvirtDaemon daemon) =>
        (await VirshOkAsync(daemon, "list", "--all", "--name")).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public async ValueTask DisposeAsync()
    {
        foreach (var daemon in _daemons)
        {
            await daemon.DisposeAsync();
        }

        if (Directory.Exists(WorkDirectory))
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
    }

    private static string Find(string binary, string package) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/usr/bin"])
            .Select(d => Path.Combine(d, binary))
            .FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"'{binary}' was not found on PATH or in /usr/sbin, /usr/bin: install Debian's '{package}' package (deploy/dev/install-deps.sh does)");
}
