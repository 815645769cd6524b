using Predictor.Core.Inventory;
using Predictor.Core.Migration;
using Predictor.Core.Plans;

namespace Predictor.Planning.Scheduling;

/// <summary>Duration, downtime and bytes of one move, from the pre-copy model (live) or a disk copy plus boot (cold).</summary>
internal readonly record struct MoveCost(double DurationS, double DowntimeMs, double Bytes, bool Converges, double BandwidthGbps);

/// <summary>
/// Costs a move at the bandwidth share it gets: every link is split equally between the concurrent
/// migrations the limits allow on it (<see cref="PreCopyModel.SharedBandwidthGbps"/>), so a source running
/// its full number of outbound moves uses its whole link and the schedule never oversubscribes one.
/// </summary>
internal static class MigrationCost
{
    private const double BytesPerGiB = 1024.0 * 1024 * 1024;

    public static double Bandwidth(double sourceNicGbps, double destinationNicGbps, PlanLimits limits) =>
        PreCopyModel.SharedBandwidthGbps(sourceNicGbps, Math.Max(1, limits.MaxOutboundPerHost), destinationNicGbps, Math.Max(1, limits.MaxInboundPerHost));

    public static MoveCost Live(Vm vm, Host source, Host destination, PlanRequest request, bool autoConverge) =>
        Live(vm, source.NicGbps, destination.NicGbps, request, autoConverge);

    public static MoveCost Live(Vm vm, double sourceNicGbps, double destinationNicGbps, PlanRequest request, bool autoConverge)
    {
        var bandwidth = Bandwidth(sourceNicGbps, destinationNicGbps, request.Limits);
        var estimate = PreCopyModel.Estimate(vm.MemoryGiB, vm.DirtyRateMiBps, bandwidth, request.Options.MaxDowntime, autoConverge);
        return new MoveCost(estimate.Duration.TotalSeconds, estimate.Downtime.TotalMilliseconds, estimate.TransferredBytes, estimate.Converges, bandwidth);
    }

    /// <summary>A cold move stops the VM, copies its disk and boots it on the destination: the whole move is downtime.</summary>
    public static MoveCost Cold(Vm vm, Host source, Host destination, PlanRequest request) =>
        Cold(vm, source.NicGbps, destination.NicGbps, request);

    public static MoveCost Cold(Vm vm, double sourceNicGbps, double destinationNicGbps, PlanRequest request)
    {
        var bandwidth = Bandwidth(sourceNicGbps, destinationNicGbps, request.Limits);
        var bytes = vm.DiskGiB * BytesPerGiB;
        var seconds = bytes / (bandwidth * 1e9 / 8) + request.Options.ColdMoveBootTime.TotalSeconds;
        return new MoveCost(seconds, seconds * 1000, bytes, true, bandwidth);
    }
}
