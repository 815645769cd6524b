using Predictor.Core.Hypervisors;

namespace Predictor.Execution.Hypervisors.Libvirt;

/// <summary>The output of <c>virsh domstate --reason</c>, e.g. "paused (migrating)" or "shut off (migrated)".</summary>
internal sealed record VirshDomainState(string State, string? Reason)
{
    public static VirshDomainState Parse(string output)
    {
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()
            ?? throw new FormatException("virsh domstate printed nothing");
        var open = line.IndexOf(" (", StringComparison.Ordinal);
        return open > 0 && line.EndsWith(')')
            ? new VirshDomainState(line[..open], line[(open + 2)..^1])
            : new VirshDomainState(line, null);
    }

    public VmRunState RunState => (State, Reason) switch
    {
        ("running", _) => VmRunState.Running,
        ("paused", "migrating" or "post-copy" or "post-copy failed") => VmRunState.Migrating,
        ("paused" or "pmsuspended" or "blocked", _) => VmRunState.Paused,
        ("shut off", "migrated") => VmRunState.PostMigrate,
        _ => VmRunState.Stopped,
    };

    public override string ToString() => Reason is null ? State : $"{State} ({Reason})";
}
