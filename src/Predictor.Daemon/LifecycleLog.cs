using Microsoft.Extensions.Logging;

namespace Predictor.Daemon;

/// <summary>The model lifecycle's events (block 1600-1649): hot reload, the outcome and feature log, retraining.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = EventIds.ModelSwitched, EventName = nameof(EventIds.ModelSwitched), Level = LogLevel.Warning, Message = "Risk model switched from {Before} to {After} ('{Path}', {Name}) without a restart")]
    public static partial void ModelSwitched(ILogger logger, string before, string after, string path, string name);

    [LoggerMessage(EventId = EventIds.ModelSwitchFailed, EventName = nameof(EventIds.ModelSwitchFailed), Level = LogLevel.Error, Message = "Risk model '{Path}' could not be loaded, so it does not replace {Serving}, which keeps serving: {Error}")]
    public static partial void ModelSwitchFailed(ILogger logger, string path, string error, string serving);

    [LoggerMessage(EventId = EventIds.OutcomeLogWriteFailed, EventName = nameof(EventIds.OutcomeLogWriteFailed), Level = LogLevel.Error, Message = "The outcome log could not be written ({What}); {Pending} outcomes are kept in memory and written at the next pass: {Error}")]
    public static partial void OutcomeLogWriteFailed(ILogger logger, string what, int pending, string error);

    [LoggerMessage(EventId = EventIds.OutcomeRecorded, EventName = nameof(EventIds.OutcomeRecorded), Level = LogLevel.Information, Message = "Outcome recorded: host {Host} {Kind} at {At:u} (source {Source}){Detail}")]
    public static partial void OutcomeRecorded(ILogger logger, string host, string kind, DateTimeOffset at, string source, string detail);

    [LoggerMessage(EventId = EventIds.OutcomeLogPruned, EventName = nameof(EventIds.OutcomeLogPruned), Level = LogLevel.Information, Message = "Outcome log pruned: {Features} feature rows before {FeaturesBefore:u}, {Outcomes} outcomes before {OutcomesBefore:u}")]
    public static partial void OutcomeLogPruned(ILogger logger, int features, DateTimeOffset featuresBefore, int outcomes, DateTimeOffset outcomesBefore);

    [LoggerMessage(EventId = EventIds.RetrainDecided, EventName = nameof(EventIds.RetrainDecided), Level = LogLevel.Warning, Message = "Retrain: challenger {Version} {Decision}: {Reasons}")]
    public static partial void RetrainDecided(ILogger logger, string version, string decision, string reasons);
}
