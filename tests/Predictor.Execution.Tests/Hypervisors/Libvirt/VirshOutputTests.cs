using Predictor.Core.Hypervisors;
using Predictor.Execution.Hypervisors.Libvirt;

namespace Predictor.Execution.Tests.Hypervisors.Libvirt;

public sealed class VirshOutputTests
{
    [Fact]
    public void Parse_RunningMigrationJob_ReadsProgress()
    {
        var job = VirshJobInfo.Parse(VirshSamples.JobRunning);

        Assert.Equal(new VirshJobInfo("Unbounded", "Outgoing migration", 1049, 119899423, 951849058, 2, null), job);
    }

    [Fact]
    public void Parse_CompletedJob_ReadsTotalDowntime()
    {
        var job = VirshJobInfo.Parse(VirshSamples.JobCompleted);

        Assert.Equal(new VirshJobInfo("Completed", "Incoming migration", 2890, 1090921693, 0, 4, 25), job);
    }

    [Fact]
    public void Parse_NoJob_TypeNone()
    {
        Assert.Equal(new VirshJobInfo("None", null, null, null, null, 0, null), VirshJobInfo.Parse(VirshSamples.JobNone));
    }

    [Fact]
    public void Parse_CapturedJobJustBegun_HasNoMemoryFiguresYet()
    {
        Assert.Equal(new VirshJobInfo("Unbounded", "Outgoing migration", 122, null, null, 0, null), VirshJobInfo.Parse(VirshSamples.CapturedJobJustBegun));
    }

    [Fact]
    public void Parse_CapturedRunningJob_ReadsPaddedValues()
    {
        // 106.213 KiB = 108762.112 B, 63.387 MiB = 66466086.912 B.
        Assert.Equal(new VirshJobInfo("Unbounded", "Outgoing migration", 360, 108762, 66466087, 1, null), VirshJobInfo.Parse(VirshSamples.CapturedJobRunning));
    }

    [Fact]
    public void Parse_CapturedCompletedJob_ReadsDowntimeNotTheWithoutNetworkFigures()
    {
        // 544.775 KiB = 557849.6 B.
        Assert.Equal(new VirshJobInfo("Completed", "Incoming migration", 332, 557850, 0, 2, 15), VirshJobInfo.Parse(VirshSamples.CapturedJobCompleted));
    }

    [Fact]
    public void Parse_BadSizeUnit_NamesLineAndField()
    {
        var ex = Assert.Throws<FormatException>(() => VirshJobInfo.Parse("Job type:         Unbounded\nData processed:   12 parsecs\n"));

        Assert.Equal("virsh domjobinfo line 2 ('Data processed'): expected '<number> B|KiB|MiB|GiB|TiB', got '12 parsecs'", ex.Message);
    }

    [Fact]
    public void Parse_NotJobInfo_SaysWhatIsMissing()
    {
        var ex = Assert.Throws<FormatException>(() => VirshJobInfo.Parse("hello"));

        Assert.Equal("virsh domjobinfo output has no 'Job type:' line: 'hello'", ex.Message);
    }

    [Theory]
    [InlineData("running (booted)\n\n", "running", "booted", VmRunState.Running)]
    [InlineData("paused (migrating)\n", "paused", "migrating", VmRunState.Migrating)]
    [InlineData("paused (user)\n", "paused", "user", VmRunState.Paused)]
    [InlineData("shut off (migrated)\n", "shut off", "migrated", VmRunState.PostMigrate)]
    [InlineData("shut off (destroyed)\n", "shut off", "destroyed", VmRunState.Stopped)]
    [InlineData("shut off\n", "shut off", null, VmRunState.Stopped)]
    public void ParseDomState_VirshLine_StateReasonAndRunState(string output, string state, string? reason, VmRunState runState)
    {
        var parsed = VirshDomainState.Parse(output);

        Assert.Equal(new VirshDomainState(state, reason), parsed);
        Assert.Equal(runState, parsed.RunState);
    }
}
