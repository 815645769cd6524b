using Microsoft.Extensions.Logging;

namespace Predictor.Daemon.Datacenter;

internal static partial class Log
{
    [LoggerMessage(1101, LogLevel.Information, "VM {Vm} now placed on {To} (was {From}): {Why}")]
    public static partial void PlacementChanged(ILogger logger, string vm, string from, string to, string why);

    [LoggerMessage(1102, LogLevel.Warning, "VM {Vm} is not running on {Host} (the hypervisor reports {State}) nor on any other host it is configured for; its placement is kept")]
    public static partial void VmNotFound(ILogger logger, string vm, string host, string state);

    [LoggerMessage(1103, LogLevel.Warning, "Placement of VM {Vm} on {Host} could not be checked: {Message}")]
    public static partial void PlacementUnverified(ILogger logger, string vm, string host, string message);

    [LoggerMessage(1104, LogLevel.Information, "Datacenter '{Datacenter}' from {InventoryPath}: {Hosts} hosts, {Vms} VMs, {Updates} pending updates, hypervisor {Hypervisor}")]
    public static partial void Loaded(ILogger logger, string datacenter, string inventoryPath, int hosts, int vms, int updates, string hypervisor);

    [LoggerMessage(1105, LogLevel.Information, "Placement check: {Corrected} placements corrected from what the hypervisor reports")]
    public static partial void Verified(ILogger logger, int corrected);

    [LoggerMessage(1106, LogLevel.Error, "Placement check failed; placements are kept and checked again in {Interval}")]
    public static partial void VerifyFailed(ILogger logger, TimeSpan interval, Exception exception);

    [LoggerMessage(1107, LogLevel.Warning, "VM {Vm} has no destination configured on any other host; it cannot be evacuated")]
    public static partial void NoDestination(ILogger logger, string vm);

    [LoggerMessage(1108, LogLevel.Warning, "VM {Vm} has no destination on {Hosts}; a plan moving it there fails and is planned again")]
    public static partial void MissingDestinations(ILogger logger, string vm, string hosts);

    [LoggerMessage(1109, LogLevel.Error, "No telemetry source is configured for the real datacenter: every host stays stale and none is assessed")]
    public static partial void NoTelemetry(ILogger logger);
}
