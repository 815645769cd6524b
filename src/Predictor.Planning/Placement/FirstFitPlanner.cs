using System.Collections.Immutable;
using System.Globalization;
using Predictor.Core.Inventory;
using Predictor.Core.Migration;
using Predictor.Core.Plans;

namespace Predictor.Planning.Placement;

/// <summary>
/// A simple, safe planner: evacuates at-risk hosts VM by VM (largest first, most urgent host first)
/// onto the eligible host with the most free memory, and walks the maintenance ladder for one update
/// domain at a time. It never overcommits memory, never targets an at-risk or non-active host, keeps
/// anti-affinity groups on distinct fault domains, and schedules within the per-host and datacenter limits.
/// </summary>
public sealed class FirstFitPlanner(TimeProvider timeProvider) : IMaintenancePlanner
{
    /// <summary>Pause of a memory-preserving update: fixed host-component restart plus memory-size dependent time.</summary>
    internal static readonly TimeSpan MemoryPreservingBasePause = TimeSpan.FromSeconds(8);

    internal const double MemoryPreservingPauseMsPerGiB = 50;

    public MaintenancePlan Plan(PlanRequest request, CancellationToken cancellationToken = default)
    {
        var started = timeProvider.GetTimestamp();
        var inventory = request.Inventory;
        var limits = request.Limits;
        var options = request.Options;
        var atRisk = request.AtRisk.Select(a => a.Host).ToHashSet(StringComparer.Ordinal);
        var capacity = new CapacityTracker(inventory, limits.CpuOvercommit, options.HeadroomFraction);
        var slots = new SlotScheduler(limits);
        var migrations = ImmutableArray.CreateBuilder<MigrationStep>();
        var unplaced = ImmutableArray.CreateBuilder<UnplacedVm>();
        // hosts under maintenance in this plan take no VMs while it lasts: plan the ladder first
        var maintenance = PlanLadder(request, atRisk);
        var maintained = maintenance.Select(m => m.Host).ToHashSet(StringComparer.Ordinal);

        foreach (var risk in request.AtRisk.OrderBy(a => a.Deadline ?? double.MaxValue).ThenByDescending(a => a.Probability))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!inventory.TryGetHost(risk.Host, out var source))
            {
                continue;
            }

            foreach (var vm in inventory.VmsOn(source.Id).OrderByDescending(v => v.MemoryGiB).ThenBy(v => v.Id, StringComparer.Ordinal))
            {
                var destination = capacity.BestDestination(vm, source, requireGeneration: vm.LiveMigratable, h => !atRisk.Contains(h.Id) && !maintained.Contains(h.Id), out var why);
                if (destination is null)
                {
                    unplaced.Add(new UnplacedVm(vm.Id, why));
                    continue;
                }

                capacity.Reserve(vm, destination);
                var (duration, downtime, kind) = Estimate(vm, source, destination, limits, options);
                var start = slots.Book(source.Id, destination.Id, duration);
                var deadline = risk.Deadline is { } d ? string.Create(CultureInfo.InvariantCulture, $", host predicted to fail at +{d:0}s") : "";
                migrations.Add(new MigrationStep(
                    vm.Id, source.Id, destination.Id, kind, start, start + duration, vm.MemoryGiB, downtime,
                    string.Create(CultureInfo.InvariantCulture,
                        $"evacuate at-risk host {source.Id} (p={risk.Probability:0.00}{deadline}); {destination.Id} has the most free memory among eligible hosts{(kind == MigrationKind.Cold ? $"; {vm.Series} VM cannot live-migrate, so it moves cold" : "")}")));
            }
        }

        var makespan = migrations.Count == 0 ? 0 : migrations.Max(m => m.EndS);
        return new MaintenancePlan
        {
            Migrations = migrations.ToImmutable(),
            Maintenance = maintenance,
            Unplaced = unplaced.ToImmutable(),
            AtRisk = [.. request.AtRisk.Select(a => a.Host)],
            Limits = limits,
            Summary = new PlanSummary
            {
                PlanningS = timeProvider.GetElapsedTime(started).TotalSeconds,
                MakespanS = makespan,
                LowerBoundS = migrations.Count == 0 ? 0 : migrations.Max(m => m.EndS - m.StartS),
            },
        };
    }

    private static (double Duration, double DowntimeMs, MigrationKind Kind) Estimate(Vm vm, Host source, Host destination, PlanLimits limits, PlanningOptions options)
    {
        var link = Math.Min(source.NicGbps, destination.NicGbps) / Math.Max(1, limits.MaxOutboundPerHost);
        if (!vm.LiveMigratable)
        {
            var copy = vm.DiskGiB * 8 * 1.073741824 / link; // GiB → Gbit
            var total = copy + options.ColdMoveBootTime.TotalSeconds;
            return (total, total * 1000, MigrationKind.Cold);
        }

        var estimate = PreCopyModel.Estimate(vm.MemoryGiB, vm.DirtyRateMiBps, link, options.MaxDowntime, autoConverge: true);
        return (estimate.Duration.TotalSeconds, estimate.Downtime.TotalMilliseconds, MigrationKind.Live);
    }

    /// <summary>Rung choice for the lowest update domain with pending updates; others wait their turn.</summary>
    private static ImmutableArray<MaintenanceStep> PlanLadder(PlanRequest request, HashSet<string> atRisk)
    {
        var inventory = request.Inventory;
        var pending = request.Updates
            .Where(u => !atRisk.Contains(u.Host) && inventory.TryGetHost(u.Host, out var h) && h.State == HostState.Active)
            .ToList();
        if (pending.Count == 0)
        {
            return [];
        }

        var domain = pending.Min(u => inventory.GetHost(u.Host).UpdateDomain);
        var steps = ImmutableArray.CreateBuilder<MaintenanceStep>();
        foreach (var update in pending.Where(u => inventory.GetHost(u.Host).UpdateDomain == domain).OrderBy(u => u.Host, StringComparer.Ordinal))
        {
            var vms = inventory.VmsOn(update.Host);
            var step = update.Kind switch
            {
                UpdateKind.HotPatchable => new MaintenanceStep(update.Host, MaintenanceAction.HotPatch, 0, 1, 0),
                UpdateKind.HostComponent when vms.All(v => v.MemoryPreservingCapable) => MemoryPreserving(update.Host, vms),
                _ => new MaintenanceStep(update.Host, MaintenanceAction.SelfService, request.Options.SelfServiceWindow.TotalSeconds, request.Options.SelfServiceWindow.TotalSeconds, 0),
            };
            steps.Add(step);
        }

        return steps.ToImmutable();
    }

    private static MaintenanceStep MemoryPreserving(string host, ImmutableArray<Vm> vms)
    {
        var largest = vms.IsEmpty ? 0 : vms.Max(v => v.MemoryGiB);
        var pauseMs = MemoryPreservingBasePause.TotalMilliseconds + MemoryPreservingPauseMsPerGiB * largest;
        return new MaintenanceStep(host, MaintenanceAction.MemoryPreserving, 0, pauseMs / 1000, pauseMs);
    }
}
