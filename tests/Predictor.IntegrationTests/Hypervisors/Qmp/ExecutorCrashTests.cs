using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Predictor.Execution.Hypervisors.Qmp;
using Predictor.Execution.Journal;
using Predictor.Testing.Qemu;
using Xunit.Abstractions;

namespace Predictor.IntegrationTests.Hypervisors.Qmp;

/// <summary>
/// Kills the executor (SIGKILL) at random points while it evacuates 8 real QEMU VMs from h1 to h2, starts it
/// again, and checks that every VM runs exactly once, its guest RAM intact, and that the journal agrees.
/// The host kills itself right after the chosen log line and says so; each run asserts the kill happened there.
/// The number of kill points defaults to 3; set PREDICTOR_CRASH_POINTS (e.g. 100) for the long run.
/// </summary>
public sealed class ExecutorCrashTests(ITestOutputHelper output)
{
    private const int VmCount = 8;
    private const long MarkerOffset = 16L * 1024 * 1024;

    /// <summary>Log lines every first run writes whatever happens: each VM's "Migrating" and its "now runs on" or "failed".</summary>
    private const int LinesEveryRunWrites = VmCount * 2;
    private const int SigkillExitCode = 128 + 9;
    private static readonly TimeSpan RunBound = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Evacuation_ExecutorKilledAtRandomPoints_EveryVmRunsExactlyOnceAndJournalAgrees()
    {
        var points = int.TryParse(Environment.GetEnvironmentVariable("PREDICTOR_CRASH_POINTS"), CultureInfo.InvariantCulture, out var n) ? n : 3;
        var random = new Random(20261122);
        for (var point = 0; point < points; point++)
        {
            // kill after a uniformly chosen one of the lines every run reaches (0 = before the first)
            var killAfterLine = random.Next(0, LinesEveryRunWrites);
            await RunOneKillPointAsync(point, killAfterLine);
        }
    }

    private async Task RunOneKillPointAsync(int point, int killAfterLine)
    {
        await using var lab = new QemuLab();
        var sources = new List<QemuInstance>();
        var destinations = new List<QemuInstance>();
        var markers = new List<byte[]>();
        for (var i = 0; i < VmCount; i++)
        {
            var source = await lab.StartAsync($"vm-{i}-h1", incoming: false);
            sources.Add(source);
            destinations.Add(await lab.StartAsync($"vm-{i}-h2", incoming: true));
            var marker = new byte[4096];
            new Random(i + (point * 100)).NextBytes(marker);
            source.WriteMemory(MarkerOffset, marker);
            markers.Add(marker);
        }

        var config = Path.Combine(lab.WorkDirectory, "hypervisors.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            Hypervisors = new
            {
                Qemu = new
                {
                    ProgressPollInterval = "00:00:00.050",
                    Instances = Enumerable.Range(0, VmCount).SelectMany(i => new object[]
                    {
                        new { Vm = $"vm-{i}", Host = "h1", QmpSocket = sources[i].QmpSocket },
                        new { Vm = $"vm-{i}", Host = "h2", QmpSocket = destinations[i].QmpSocket, IncomingUri = destinations[i].IncomingUri },
                    }).ToArray(),
                },
            },
        }));
        var journalPath = Path.Combine(lab.WorkDirectory, "journal.db");

        var killed = await RunHostAsync(config, journalPath, killAfterLine);
        Assert.True(killed.ExitCode == SigkillExitCode && killed.Lines.LastOrDefault() == CrashHost.Program.KillMarker + killAfterLine && killed.Lines.Count == killAfterLine + 1,
            $"kill point {point}: the host was to kill itself after line {killAfterLine}; it exited with {killed.ExitCode} after:\n{string.Join('\n', killed.Lines)}");
        output.WriteLine($"kill point {point}: killed after line {killAfterLine} ({(killAfterLine == 0 ? "before the first" : killed.Lines[killAfterLine - 1])})");
        var finished = await RunHostAsync(config, journalPath, killAfterLine: null);
        Assert.True(finished.ExitCode == 0 && finished.Lines.LastOrDefault()?.Contains(CrashHost.Program.DoneMarker, StringComparison.Ordinal) == true,
            $"kill point {point}: the restarted executor must run to the end; it exited with {finished.ExitCode} after:\n{string.Join('\n', finished.Lines)}");

        using var journal = new SqliteExecutionJournal(journalPath);
        Assert.Empty(await journal.InFlightAsync(CancellationToken.None));
        var moved = 0;
        for (var i = 0; i < VmCount; i++)
        {
            var vm = $"vm-{i}";
            var onSource = await IsRunningAsync(sources[i]);
            var onDestination = await IsRunningAsync(destinations[i]);
            Assert.True(onSource ^ onDestination, $"kill point {point} (line {killAfterLine}): {vm} running on h1={onSource}, on h2={onDestination}; it must run exactly once");
            var runningOn = onSource ? sources[i] : destinations[i];
            Assert.True(markers[i].AsSpan().SequenceEqual(runningOn.ReadMemory().AsSpan((int)MarkerOffset, 4096)), $"{vm}'s guest RAM marker differs on {(onSource ? "h1" : "h2")}");
            var last = (await journal.HistoryAsync(vm, CancellationToken.None))[^1];
            Assert.Equal(onDestination ? StepState.Completed : StepState.Failed, last.State);
            moved += onDestination ? 1 : 0;
        }

        output.WriteLine($"kill point {point}: {moved} of {VmCount} VMs run on h2, {VmCount - moved} stayed on h1 (journal: Failed, to be planned again)");
    }

    /// <summary>Runs the executor host to its end: its own, or the kill it was told to do after the given log line.</summary>
    private static async Task<HostRun> RunHostAsync(string config, string journal, int? killAfterLine)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "Predictor.CrashHost.dll"), config, journal, VmCount.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        if (killAfterLine is { } line)
        {
            start.ArgumentList.Add(line.ToString(CultureInfo.InvariantCulture));
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(RunBound);
        var log = new List<string>();
        try
        {
            while (await process.StandardOutput.ReadLineAsync(bound.Token) is { } text)
            {
                log.Add(text);
            }

            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"the executor host did not finish within {RunBound.TotalSeconds} s; output:\n{string.Join('\n', log)}");
        }

        if (process.ExitCode is not (0 or SigkillExitCode))
        {
            throw new InvalidOperationException($"the executor host exited with {process.ExitCode}: {await stderr}\n{string.Join('\n', log)}");
        }

        return new HostRun(process.ExitCode, log);
    }

    /// <summary>How the host ended (its exit code; 137 for SIGKILL) and what it wrote.</summary>
    private sealed record HostRun(int ExitCode, List<string> Lines);

    private static async Task<bool> IsRunningAsync(QemuInstance instance)
    {
        if (instance.HasExited)
        {
            return false;
        }

        try
        {
            await using var observer = await QmpClient.ConnectAsync(instance.ObserverSocket, TimeSpan.FromSeconds(10), TimeProvider.System, NullLogger.Instance, CancellationToken.None);
            var status = (await observer.ExecuteAsync("query-status", null, CancellationToken.None)).GetProperty("status").GetString();
            return status == "running";
        }
        catch (QmpConnectionException)
        {
            // Only a quitting instance (a retired source) may refuse: it runs nothing.
            Assert.True(await instance.WaitForExitAsync(TimeSpan.FromSeconds(10)), $"{instance.Name} refuses QMP but has not exited");
            return false;
        }
    }
}
