using Predictor.Core.Plans;

namespace Predictor.Execution.Executor;

/// <summary>A host step with what it waits for: the plan's moves off the host, and the VMs that stay on it.</summary>
/// <param name="StayingCanPause">Every staying VM's series supports memory-preserving maintenance: the rung a hot restart falls to when the hypervisor cannot do it.</param>
internal sealed record HostWork(MaintenanceStep Step, string? UpdateId, string[] Leavers, string[] Staying, Task[] WaitFor, bool StayingCanPause = false);
