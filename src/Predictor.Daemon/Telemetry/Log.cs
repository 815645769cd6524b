using Microsoft.Extensions.Logging;

namespace Predictor.Daemon.Telemetry;

internal static partial class Log
{
    [LoggerMessage(EventId = EventIds.TelemetrySourceChosen, EventName = nameof(EventIds.TelemetrySourceChosen), Level = LogLevel.Information, Message = "Telemetry source {Source}; the simulator emits {Emit}{Target}")]
    public static partial void SourceChosen(ILogger logger, TelemetrySourceKind source, SimulationEmitKind emit, string target);

    [LoggerMessage(EventId = EventIds.SimulatorEmitFailed, EventName = nameof(EventIds.SimulatorEmitFailed), Level = LogLevel.Warning, Message = "The simulator's telemetry could not be sent to {Target}: {Reason}; the next pass sends it again")]
    public static partial void EmitFailed(ILogger logger, string target, string reason);

    [LoggerMessage(EventId = EventIds.TelemetryReadFailed, EventName = nameof(EventIds.TelemetryReadFailed), Level = LogLevel.Warning, Message = "Telemetry source {Source} could not be read: {Reason}; the pass goes on with the windows as they are")]
    public static partial void ReadFailed(ILogger logger, TelemetrySourceKind source, string reason);

    [LoggerMessage(EventId = EventIds.UnknownHosts, EventName = nameof(EventIds.UnknownHosts), Level = LogLevel.Warning, Message = "{Count} telemetry samples of hosts not in the inventory were not used ({Hosts} distinct hosts so far; most: {Top})")]
    public static partial void UnknownHosts(ILogger logger, long count, int hosts, string top);

    [LoggerMessage(EventId = EventIds.UnmappedFields, EventName = nameof(EventIds.UnmappedFields), Level = LogLevel.Warning, Message = "{Count} telemetry field values matched no signal mapping ({Fields} distinct fields so far; most: {Top}); add SignalMapping:Rules to use them")]
    public static partial void UnmappedFields(ILogger logger, long count, int fields, string top);

    [LoggerMessage(EventId = EventIds.MissingHostTag, EventName = nameof(EventIds.MissingHostTag), Level = LogLevel.Warning, Message = "{Count} telemetry field values had no host tag and were not used; set SignalMapping:HostTag to the tag naming the host")]
    public static partial void MissingHostTag(ILogger logger, long count);
}
