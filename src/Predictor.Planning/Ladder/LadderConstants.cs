namespace Predictor.Planning.Ladder;

/// <summary>Nominal durations of each rung (DESIGN.md's ladder table), used to schedule maintenance steps.</summary>
internal static class LadderConstants
{
    /// <summary>A hot patch: the host applies it in this long.</summary>
    public const double HotPatchStepS = 30;

    /// <summary>VMs notice a hot patch as at most this pause (~0).</summary>
    public const double HotPatchPauseMs = 2;

    /// <summary>A hypervisor hot restart: install the new hypervisor, then replace each VM's process in turn.</summary>
    public const double HotRestartStepS = 15;

    /// <summary>
    /// VMs pause this long in a hot restart: only the device state is transferred, the RAM is shared (DESIGN.md: under
    /// a second; the QEMU measurement in README is a few milliseconds on an idle machine).
    /// </summary>
    public const double HotRestartPauseMs = 50;

    /// <summary>Memory-preserving maintenance: pause, update the component, resume, resync clocks.</summary>
    public const double MemoryPreservingStepS = 20;

    /// <summary>VMs stay paused this long in memory-preserving maintenance (DESIGN.md: seconds, at most ~30 s).</summary>
    public const double MemoryPreservingPauseMs = 10_000;

    /// <summary>Rebooting or redeploying a host.</summary>
    public const double HostRebootS = 300;
}
