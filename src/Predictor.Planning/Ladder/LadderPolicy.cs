using Predictor.Core.Inventory;
using Predictor.Core.Plans;

namespace Predictor.Planning.Ladder;

/// <summary>What one VM gets while its host is updated.</summary>
public enum VmRung
{
    /// <summary>Stays; the host is hot-patched under it (rung A).</summary>
    HotPatch,

    /// <summary>Stays; its hypervisor process is replaced in place with RAM shared (hot restart, between rungs A and B).</summary>
    HotRestart,

    /// <summary>Stays, paused with memory kept in RAM while a host component is updated (rung B).</summary>
    MemoryPreserving,

    /// <summary>Stays and is restarted with the host at the moment its owner chose or approved (rung C).</summary>
    SelfService,

    /// <summary>Stays and is restarted with the host when the self-service window closes, its owner having not chosen (rung C, scheduled automatically).</summary>
    SelfServiceScheduled,

    /// <summary>Leaves by live migration before the host is updated (rung D).</summary>
    LiveMigration,
}

/// <summary>
/// The maintenance ladder as policy: each VM gets the least impactful rung its host's update and its
/// series allow. A hot-patchable update touches nobody. A hypervisor update hot-restarts the VMs that can migrate
/// (a hot restart is a local migration, so whatever blocks migration blocks it too) on hosts whose hypervisor can;
/// otherwise it is treated like a host-component update. A host-component update pauses VMs whose series can
/// do memory-preserving maintenance; the others fall to the next rungs. An update that reboots the host
/// honours the owner's choice (approve now, or a slot in the self-service window); VMs whose owners did not
/// choose leave by live migration, and those that cannot live-migrate stay for the automatic schedule at the
/// end of the window (they are never silently stopped).
/// </summary>
public static class LadderPolicy
{
    /// <summary>The rung one VM gets for an update of the given kind.</summary>
    /// <param name="kind">The host's update.</param>
    /// <param name="vm">The VM.</param>
    /// <param name="owner">The owner's choice for this update, if any.</param>
    /// <param name="hostHotRestartCapable">The host's hypervisor can replace a VM's process in place (<see cref="Host.HotRestartCapable"/>).</param>
    public static VmRung Choose(UpdateKind kind, Vm vm, OwnerChoice? owner, bool hostHotRestartCapable = false)
    {
        ArgumentNullException.ThrowIfNull(vm);
        return kind switch
        {
            UpdateKind.HotPatchable => VmRung.HotPatch,
            UpdateKind.Hypervisor when hostHotRestartCapable && vm.LiveMigratable => VmRung.HotRestart,
            UpdateKind.HostComponent or UpdateKind.Hypervisor when vm.MemoryPreservingCapable => VmRung.MemoryPreserving,
            _ when owner is not null && (owner.ApproveNow || owner.NotBeforeS is not null) => VmRung.SelfService,
            _ when vm.LiveMigratable => VmRung.LiveMigration,
            _ => VmRung.SelfServiceScheduled,
        };
    }

    /// <summary>
    /// The host's action: the most impactful rung among the VMs that stay; when none stays, the host is
    /// updated empty (live-migration rung), except that an empty host with a hot-patchable or host-component
    /// update still takes that lighter rung (a hypervisor update: hot restart where the host can, as nothing is
    /// restarted, else memory-preserving).
    /// </summary>
    public static MaintenanceAction HostAction(UpdateKind kind, IEnumerable<VmRung> staying, bool hostHotRestartCapable = false)
    {
        ArgumentNullException.ThrowIfNull(staying);
        var worst = -1;
        foreach (var rung in staying)
        {
            worst = Math.Max(worst, rung switch
            {
                VmRung.HotPatch => 0,
                VmRung.HotRestart => 1,
                VmRung.MemoryPreserving => 2,
                VmRung.SelfService or VmRung.SelfServiceScheduled => 3,
                _ => -1,
            });
        }

        return worst switch
        {
            0 => MaintenanceAction.HotPatch,
            1 => MaintenanceAction.HotRestart,
            2 => MaintenanceAction.MemoryPreserving,
            3 => MaintenanceAction.SelfService,
            _ => kind switch
            {
                UpdateKind.HotPatchable => MaintenanceAction.HotPatch,
                UpdateKind.Hypervisor when hostHotRestartCapable => MaintenanceAction.HotRestart,
                UpdateKind.HostComponent or UpdateKind.Hypervisor => MaintenanceAction.MemoryPreserving,
                _ => MaintenanceAction.LiveMigration,
            },
        };
    }
}
