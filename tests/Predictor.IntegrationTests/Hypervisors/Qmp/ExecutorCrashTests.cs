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
/// The number of kill points defaults to 3; set PREDICTOR_CRASH_POINTS (e.g. 100) for the long run.
/// </summary>
public sealed class ExecutorCrashTests(ITestOutputHelper output)
{
    private const int VmCount = 8;
    private const long MarkerOffset = 16L * 1024 * 1024;
    private static readonly TimeSpan RunBound = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Evacuation_ExecutorKilledAtRandomPoints_EveryVmRunsExactlyOnceAndJournalAgrees()
    {
        var points = int.TryParse(Environment.GetEnvironmentVariable("PREDICTOR_CRASH_POINTS"), CultureInfo.InvariantCulture, out var n) ? n : 3;
        var random = new Random(20261122);
        for (var point = 0; point < points; point++)
        {
            // About 5 log lines per VM: kill after a uniformly chosen one of them (0 = before the first).
            var killAfterLine = random.Next(0, VmCount * 5);
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
        output.WriteLine($"kill point {point}: after line {killAfterLine}, killed={killed}");
        var finished = await RunHostAsync(config, journalPath, killAfterLine: null);
        Assert.False(finished, "the restarted executor must run to the end");

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

    /// <summary>Runs the executor host; returns true when it was killed after the given log line.</summary>
    private static async Task<bool> RunHostAsync(string config, string journal, int? killAfterLine)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "Predictor.CrashHost.dll"), config, journal, VmCount.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(RunBound);
        var lines = 0;
        var killed = false;
        var log = new List<string>();
        try
        {
            if (killAfterLine == 0)
            {
                process.Kill();
                killed = true;
            }

            while (await process.StandardOutput.ReadLineAsync(bound.Token) is { } line)
            {
                log.Add(line);
                if (!killed && ++lines == killAfterLine)
                {
                    process.Kill();
                    killed = true;
                }
            }

            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"the executor host did not finish within {RunBound.TotalSeconds} s; output:\n{string.Join('\n', log)}");
        }

        if (!killed && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"the executor host exited with {process.ExitCode}: {await stderr}\n{string.Join('\n', log)}");
        }

        return killed;
    }

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
