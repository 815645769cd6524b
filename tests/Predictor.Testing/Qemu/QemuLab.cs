using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Predictor.Testing.Qemu;

/// <summary>
/// Starts tiny real QEMU VMs (TCG, 64 MiB, no devices) for tests and benchmarks and removes every trace on
/// dispose: processes are killed and the directory holding sockets and guest RAM files is deleted. The guest
/// RAM is a shared file-backed memory backend, so a test can write and read the guest's memory directly.
/// The firmware is a 64 KiB image whose reset vector runs <c>cli; hlt</c>: the vCPU sleeps and never
/// touches RAM, so memory contents change only through migration and the test itself. A VM started with the counting
/// firmware instead increments a 32-bit counter at guest address <see cref="CounterAddress"/> as fast as it runs: a
/// guest-visible sign of which process runs it (it burns one host core while it runs).
/// </summary>
public sealed class QemuLab : IAsyncDisposable
{
    public const long MemoryBytes = 64L * 1024 * 1024;

    /// <summary>Where the counting firmware keeps its counter (guest-physical, so also the RAM file offset).</summary>
    public const int CounterAddress = 0x7000;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private readonly List<QemuInstance> _instances = [];
    private readonly string _firmware;
    private readonly string _countingFirmware;

    public QemuLab()
    {
        Binary = FindQemu();
        var root = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        WorkDirectory = Directory.CreateDirectory(Path.Combine(root, "predictor-qemu-" + Guid.NewGuid().ToString("N")[..12])).FullName;
        _firmware = Path.Combine(WorkDirectory, "halt.bin");
        WriteHaltingFirmware(_firmware);
        _countingFirmware = Path.Combine(WorkDirectory, "count.bin");
        WriteCountingFirmware(_countingFirmware);
    }

    public string Binary { get; }

    public string WorkDirectory { get; }

    /// <summary>The qemu-system-x86_64 on PATH, or a clear error naming the package to install.</summary>
    public static string FindQemu()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "qemu-system-x86_64");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            "qemu-system-x86_64 was not found on PATH; install Debian's qemu-system-x86 package (deploy/dev/install-deps.sh does)");
    }

    /// <summary>
    /// Writes a 64 KiB firmware image (for <c>-bios</c>) whose reset vector runs <c>cli; hlt</c>: the vCPU sleeps
    /// and never touches guest RAM.
    /// </summary>
    public static void WriteHaltingFirmware(string path)
    {
        var image = new byte[64 * 1024];
        Array.Fill(image, (byte)0xF4);
        // Reset vector at 0xFFFFFFF0 (offset 0xFFF0 of the image): cli; hlt; jmp back to hlt.
        image[0xFFF0] = 0xFA;
        image[0xFFF1] = 0xF4;
        image[0xFFF2] = 0xEB;
        image[0xFFF3] = 0xFD;
        File.WriteAllBytes(path, image);
    }

    /// <summary>
    /// Writes a 64 KiB firmware image whose reset vector jumps to a loop incrementing the dword at guest address
    /// <see cref="CounterAddress"/> (real mode, DS = 0): <c>xor ax,ax; mov ds,ax; l: inc dword [0x7000]; jmp l</c>.
    /// </summary>
    public static void WriteCountingFirmware(string path)
    {
        var image = new byte[64 * 1024];
        Array.Fill(image, (byte)0xF4);
        byte[] loop = [0x31, 0xC0, 0x8E, 0xD8, 0x66, 0xFF, 0x06, CounterAddress & 0xFF, CounterAddress >> 8, 0xEB, 0xF9];
        loop.CopyTo(image, 0);
        // reset vector: jmp near to offset 0 (0x0000 - 0xFFF3 = 0x000D modulo 64 KiB)
        image[0xFFF0] = 0xE9;
        image[0xFFF1] = 0x0D;
        image[0xFFF2] = 0x00;
        File.WriteAllBytes(path, image);
    }

    private static int s_nextPort = 10_000 + (Environment.ProcessId % 1_000 * 16);

    /// <summary>
    /// A loopback TCP port nobody listens on right now, below the kernel's ephemeral range: a port handed out from that
    /// range can become the local port of any outgoing connection (a scrape, a database connection) before the daemon
    /// or VM it was meant for binds it, which failed a long failover run with "address already in use".
    /// </summary>
    public static int FreeTcpPort()
    {
        var ephemeralLow = 32_768;
        try
        {
            ephemeralLow = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            // keep Linux's default range
        }

        for (var attempt = 0; attempt < 2_000; attempt++)
        {
            var port = 10_000 + ((Interlocked.Increment(ref s_nextPort) - 10_000) % Math.Max(1_000, ephemeralLow - 10_000));
            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, port);
                probe.Start();
                return port;
            }
            catch (System.Net.Sockets.SocketException)
            {
                // taken: try the next one
            }
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The QMP socket <see cref="StartAsync"/> gives an instance of this name, for configuration written before it starts.</summary>
    public string QmpSocketOf(string name) => Path.Combine(WorkDirectory, name + ".qmp");

    /// <summary>
    /// The command that starts VM <paramref name="name"/>'s QEMU without its QMP sockets and <c>-incoming</c>: what a hot
    /// restart starts the replacement from (same RAM file, shared).
    /// </summary>
    public IList<string> CommandOf(string name, int memoryMiB = 64, bool counting = false, bool shared = true) =>
    [
        Binary, "-machine", "pc,accel=tcg,memory-backend=mem", "-m", memoryMiB.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "-nodefaults", "-display", "none", "-bios", counting ? _countingFirmware : _firmware,
        "-object", $"memory-backend-file,id=mem,size={memoryMiB}M,mem-path={Path.Combine(WorkDirectory, name + ".ram")},share={(shared ? "on" : "off")}",
    ];

    /// <summary>Starts a VM and returns once both its QMP sockets exist.</summary>
    /// <param name="name">Unique within the lab; names the sockets and the RAM file.</param>
    /// <param name="incoming">Start as a migration destination (<c>-incoming defer</c>) with a free loopback port.</param>
    /// <param name="incomingPort">The destination's port when the test chose it up front (its configuration names it before the VM starts).</param>
    /// <param name="memoryMiB">Guest RAM.</param>
    /// <param name="counting">Boot the counting firmware instead of the halting one.</param>
    /// <param name="shared">Map the RAM file shared (share=on), as a hot restart needs.</param>
    public async Task<QemuInstance> StartAsync(string name, bool incoming, int? incomingPort = null, int memoryMiB = 64, bool counting = false, bool shared = true)
    {
        var qmp = QmpSocketOf(name);
        var observer = Path.Combine(WorkDirectory, name + ".observer.qmp");
        var memory = Path.Combine(WorkDirectory, name + ".ram");
        var command = CommandOf(name, memoryMiB, counting, shared);
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in command.Skip(1).Concat(["-qmp", $"unix:{qmp},server=on,wait=off", "-qmp", $"unix:{observer},server=on,wait=off"]))
        {
            start.ArgumentList.Add(arg);
        }

        string? incomingUri = null;
        if (incoming)
        {
            start.ArgumentList.Add("-incoming");
            start.ArgumentList.Add("defer");
            incomingUri = $"tcp:127.0.0.1:{incomingPort ?? FreeTcpPort()}";
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Binary}");
        var instance = new QemuInstance(name, process, qmp, observer, memory, incomingUri, memoryMiB * 1024L * 1024);
        _instances.Add(instance);
        var waited = Stopwatch.StartNew();
        // QEMU creates its QMP sockets before the machine's memory backend: wait for the RAM file too, which tests read
        while (!(File.Exists(qmp) && File.Exists(observer) && File.Exists(memory)))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"QEMU '{name}' exited with {process.ExitCode} at start: {await process.StandardError.ReadToEndAsync()}");
            }

            if (waited.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"QEMU '{name}' did not create its QMP sockets and RAM file within {StartTimeout.TotalSeconds} s");
            }

            await Task.Delay(10);
        }

        return instance;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.KillAsync();
            instance.Process.Dispose();
        }

        // replacement processes a hot restart started: their command lines name this lab's unique directory
        foreach (var pid in ProcessesNaming(WorkDirectory))
        {
            try
            {
                using var stray = Process.GetProcessById(pid);
                stray.Kill();
                await stray.WaitForExitAsync();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // exited meanwhile
            }
        }

        Directory.Delete(WorkDirectory, recursive: true);
    }

    /// <summary>The processes whose command line contains <paramref name="text"/>.</summary>
    public static IReadOnlyList<int> ProcessesNaming(string text)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(text, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // exited while listed, or not ours to read
            }
        }

        return found;
    }
}
