using System.Diagnostics;

namespace Predictor.Testing.Qemu;

/// <summary>One QEMU process started by <see cref="QemuLab"/>.</summary>
/// <param name="name">The lab-unique name.</param>
/// <param name="process">The QEMU process.</param>
/// <param name="qmpSocket">The QMP socket the code under test uses.</param>
/// <param name="observerSocket">A second QMP socket for the test's own checks.</param>
/// <param name="memoryFile">The guest RAM, shared with the guest.</param>
/// <param name="incomingUri">Where a destination listens once <c>migrate-incoming</c> is issued; null for a source.</param>
/// <param name="memoryBytes">Guest RAM size.</param>
public sealed class QemuInstance(string name, Process process, string qmpSocket, string observerSocket, string memoryFile, string? incomingUri, long memoryBytes = QemuLab.MemoryBytes)
{
    public long MemoryBytes { get; } = memoryBytes;

    public string Name { get; } = name;

    public Process Process { get; } = process;

    public string QmpSocket { get; } = qmpSocket;

    public string ObserverSocket { get; } = observerSocket;

    public string MemoryFile { get; } = memoryFile;

    public string? IncomingUri { get; } = incomingUri;

    public bool HasExited => Process.HasExited;

    /// <summary>Writes bytes into the guest RAM file at an offset (the offset is the guest-physical address below 64 MiB).</summary>
    public void WriteMemory(long offset, ReadOnlySpan<byte> bytes)
    {
        using var file = new FileStream(MemoryFile, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        file.Position = offset;
        file.Write(bytes);
    }

    /// <summary>The whole guest RAM as it is now.</summary>
    public byte[] ReadMemory()
    {
        using var file = new FileStream(MemoryFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var bytes = new byte[file.Length];
        file.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Fills the guest RAM with a reproducible pseudo-random pattern and returns it.</summary>
    public byte[] FillMemoryWithPattern(int seed)
    {
        var pattern = new byte[MemoryBytes];
        new Random(seed).NextBytes(pattern);
        WriteMemory(0, pattern);
        return pattern;
    }

    /// <summary>The counting firmware's counter as the guest RAM holds it now.</summary>
    public uint ReadCounter()
    {
        using var file = new FileStream(MemoryFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        file.Position = QemuLab.CounterAddress;
        Span<byte> bytes = stackalloc byte[4];
        file.ReadExactly(bytes);
        return BitConverter.ToUInt32(bytes);
    }

    /// <summary>Waits (bounded) for the process to end by itself.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await Process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async Task KillAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
        }

        await Process.WaitForExitAsync();
    }
}
