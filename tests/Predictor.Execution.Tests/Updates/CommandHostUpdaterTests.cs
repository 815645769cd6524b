using Microsoft.Extensions.Logging.Abstractions;
using Predictor.Core.Configuration;
using Predictor.Core.Plans;
using Predictor.Execution.Updates;

namespace Predictor.Execution.Tests.Updates;

public sealed class CommandHostUpdaterTests
{
    private static CommandHostUpdater Updater(string script, TimeSpan? timeout = null) => new(
        new HostUpdateCommandOptions { Command = "/bin/sh", Arguments = ["-c", script, "update", "{host}", "{update}", "{action}"], Timeout = timeout ?? TimeSpan.FromSeconds(30) },
        TimeProvider.System, NullLogger<CommandHostUpdater>.Instance);

    [Fact]
    public async Task ApplyAsync_CommandSucceeds_GetsPlaceholdersAndEnvironment()
    {
        var file = Path.Combine(Path.GetTempPath(), $"predictor-update-{Guid.NewGuid():N}.txt");
        try
        {
            var updater = Updater($"echo \"$1 $2 $3 | $PREDICTOR_HOST $PREDICTOR_UPDATE $PREDICTOR_ACTION\" > {file}");

            await updater.ApplyAsync(new HostUpdateRequest("h7", "kernel-6.12", MaintenanceAction.MemoryPreserving, TimeSpan.FromSeconds(20)), default);

            Assert.Equal("h7 kernel-6.12 memory-preserving | h7 kernel-6.12 memory-preserving\n", await File.ReadAllTextAsync(file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task ApplyAsync_CommandFails_ThrowsWithExitCodeAndOutput()
    {
        var updater = Updater("echo 'reboot refused: bmc unreachable' >&2; exit 3");

        var e = await Assert.ThrowsAsync<HostUpdateException>(() => updater.ApplyAsync(new HostUpdateRequest("h7", "fw-2", MaintenanceAction.LiveMigration, TimeSpan.Zero), default));

        Assert.StartsWith("the update command for host h7 exited with code 3 after ", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("; output: reboot refused: bmc unreachable", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyAsync_CommandHangs_IsKilledAtTheTimeout()
    {
        // long enough for the shell to start and print on a loaded machine
        var updater = Updater("echo started; sleep 60", TimeSpan.FromSeconds(2));

        var e = await Assert.ThrowsAsync<HostUpdateException>(() => updater.ApplyAsync(new HostUpdateRequest("h7", "fw-2", MaintenanceAction.HotPatch, TimeSpan.Zero), default));

        Assert.Equal("the update command for host h7 ran longer than 00:00:02 and was killed; output: started", e.Message);
    }

    [Fact]
    public async Task ApplyAsync_CommandMissing_SaysItCouldNotStart()
    {
        var updater = new CommandHostUpdater(new HostUpdateCommandOptions { Command = "/nonexistent/predictor-update" }, TimeProvider.System, NullLogger<CommandHostUpdater>.Instance);

        var e = await Assert.ThrowsAsync<HostUpdateException>(() => updater.ApplyAsync(new HostUpdateRequest("h7", "fw-2", MaintenanceAction.HotPatch, TimeSpan.Zero), default));

        Assert.StartsWith("the update command '/nonexistent/predictor-update' could not start for host h7: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MissingCommandAndZeroTimeout_ListsBoth()
    {
        var errors = OptionsGuard.Errors(new HostUpdateCommandOptions { Command = "/nonexistent/predictor-update", Timeout = TimeSpan.Zero });

        Assert.Equal(
            [
                "Updates:Timeout: out of range (got 00:00:00; expected more than 00:00:00).",
                "Updates:Command: no such file (got '/nonexistent/predictor-update'; expected an existing executable).",
            ],
            errors);
    }
}
