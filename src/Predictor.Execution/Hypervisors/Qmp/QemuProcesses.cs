using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Predictor.Execution.Hypervisors.Qmp;

/// <summary>
/// The QEMU processes a hot restart starts: launched from the instance's <see cref="QemuInstanceOptions.HotRestartCommand"/>
/// with their own QMP socket and <c>-incoming defer</c>, their output forwarded to the log (and its tail kept for a failed
/// start), kept referenced while they run so the output pipes are drained; and the wait for a retired process to exit.
/// </summary>
internal sealed class QemuProcesses(TimeProvider time, ILogger logger)
{
    private const int OutputTail = 2000;

    private readonly ConcurrentDictionary<int, Process> _children = new();

    /// <summary>Starts the replacement process for <paramref name="instance"/>, listening for QMP on <paramref name="qmpSocket"/>.</summary>
    /// <exception cref="InvalidOperationException">The process could not be started.</exception>
    public Started Start(QemuInstanceOptions instance, string qmpSocket)
    {
        var command = instance.HotRestartCommand!;
        var info = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1).Concat(["-qmp", $"unix:{qmpSocket},server=on,wait=off", "-incoming", "defer"]))
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var output = new StringBuilder();
        var pid = 0;
        void Forward(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(line);
                if (output.Length > 4 * OutputTail)
                {
                    output.Remove(0, output.Length - OutputTail);
                }
            }

            Log.ProcessOutput(logger, pid, instance.Vm, instance.Host, line);
        }

        process.OutputDataReceived += (_, e) => Forward(e.Data);
        process.ErrorDataReceived += (_, e) => Forward(e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            throw new InvalidOperationException($"'{command[0]}' could not be started: {e.Message}", e);
        }

        pid = process.Id;
        _children[pid] = process;
        // the caller may still ask the exited process for its exit code: it is only let go here, not disposed
        process.Exited += (_, _) => _children.TryRemove(pid, out _);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new Started(process, () =>
        {
            lock (output)
            {
                var text = output.ToString().Trim();
                return text.Length == 0 ? "(no output)" : text.Length <= OutputTail ? text : "…" + text[^OutputTail..];
            }
        });
    }

    /// <summary>True once the process has exited (a zombie counts: it runs nothing any more).</summary>
    public static bool HasExited(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            // "pid (comm) S ...": the state follows the last ')'
            var state = stat.AsSpan(stat.LastIndexOf(')') + 1).TrimStart();
            return state.Length == 0 || state[0] is 'Z' or 'X';
        }
        catch (IOException)
        {
            // no such file, or ESRCH when the process was reaped between the open and the read
            return true;
        }
    }

    /// <summary>Waits until the process has exited; kills it when it outlives <paramref name="grace"/>. Returns false when even that did not end it.</summary>
    public async Task<bool> WaitForExitAsync(int pid, TimeSpan grace, TimeSpan poll)
    {
        var deadline = time.GetTimestamp() + (long)(grace.TotalSeconds * time.TimestampFrequency);
        var killed = false;
        while (!HasExited(pid))
        {
            if (time.GetTimestamp() >= deadline)
            {
                if (killed)
                {
                    return false;
                }

                Kill(pid);
                killed = true;
                deadline = time.GetTimestamp() + (long)(grace.TotalSeconds * time.TimestampFrequency);
            }

            await Task.Delay(poll, time).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Ends a process this adapter retires (a replacement that did not take over, or an old one that would not quit).</summary>
    public static void Kill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // gone already
        }
    }

    /// <summary>A started replacement: the process (it may exit at once when the command detaches QEMU) and its output so far.</summary>
    public sealed record Started(Process Process, Func<string> OutputTail);
}
