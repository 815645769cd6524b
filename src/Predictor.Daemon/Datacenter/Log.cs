using Microsoft.Extensions.Logging;

namespace Predictor.Daemon.Datacenter;

internal static partial class Log
{
    [LoggerMessage(EventId = EventIds.PlacementChanged, EventName = nameof(EventIds.PlacementChanged), Level = LogLevel.Information, Message = "VM {Vm} now placed on {To} (was {From}): {Why}")]
    public static partial void PlacementChanged(ILogger logger, string vm, string from, string to, string why);

    [LoggerMessage(EventId = EventIds.VmNotFound, EventName = nameof(EventIds.VmNotFound), Level = LogLevel.Warning, Message = "VM {Vm} is not running on {Host} (the hypervisor reports {State}) nor on any other host it is configured for; its placement is kept")]
    public static partial void VmNotFound(ILogger logger, string vm, string host, string state);

    [LoggerMessage(EventId = EventIds.PlacementUnverified, EventName = nameof(EventIds.PlacementUnverified), Level = LogLevel.Warning, Message = "Placement of VM {Vm} on {Host} could not be checked: {Message}")]
    public static partial void PlacementUnverified(ILogger logger, string vm, string host, string message);

    [LoggerMessage(EventId = EventIds.DatacenterLoaded, EventName = nameof(EventIds.DatacenterLoaded), Level = LogLevel.Information, Message = "Datacenter '{Datacenter}' from {InventoryPath}: {Hosts} hosts, {Vms} VMs, {Updates} pending updates, hypervisor {Hypervisor}")]
    public static partial void Loaded(ILogger logger, string datacenter, string inventoryPath, int hosts, int vms, int updates, string hypervisor);

    [LoggerMessage(EventId = EventIds.PlacementsVerified, EventName = nameof(EventIds.PlacementsVerified), Level = LogLevel.Information, Message = "Placement check: {Corrected} placements corrected from what the hypervisor reports")]
    public static partial void Verified(ILogger logger, int corrected);

    [LoggerMessage(EventId = EventIds.PlacementVerifyFailed, EventName = nameof(EventIds.PlacementVerifyFailed), Level = LogLevel.Error, Message = "Placement check failed; placements are kept and checked again in {Interval}")]
    public static partial void VerifyFailed(ILogger logger, TimeSpan interval, Exception exception);

    [LoggerMessage(EventId = EventIds.NoDestination, EventName = nameof(EventIds.NoDestination), Level = LogLevel.Warning, Message = "VM {Vm} has no destination configured on any other host; it cannot be evacuated")]
    public static partial void NoDestination(ILogger logger, string vm);

    [LoggerMessage(EventId = EventIds.MissingDestinations, EventName = nameof(EventIds.MissingDestinations), Level = LogLevel.Warning, Message = "VM {Vm} has no destination on {Hosts}; a plan moving it there fails and is planned again")]
    public static partial void MissingDestinations(ILogger logger, string vm, string hosts);

    [LoggerMessage(EventId = EventIds.NoTelemetrySource, EventName = nameof(EventIds.NoTelemetrySource), Level = LogLevel.Error, Message = "No telemetry source is configured for the real datacenter: every host stays stale and none is assessed")]
    public static partial void NoTelemetry(ILogger logger);
}
