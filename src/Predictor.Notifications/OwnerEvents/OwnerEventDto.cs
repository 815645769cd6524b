using System.Text.Json.Serialization;

namespace Predictor.Notifications.OwnerEvents;

/// <summary>One event in the owner API and the owners' webhooks: <c>{"id","vm","host","kind","reason","notBefore","expectedBlackoutS","state","ownerChoice","selfServiceWindow":{"start","end"}}</c>; state is scheduled, approved, started, completed, failed or cancelled.</summary>
public sealed record OwnerEventDto(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("vm")] string Vm,
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("notBefore")] DateTimeOffset NotBefore,
    [property: JsonPropertyName("expectedBlackoutS")] double ExpectedBlackoutS,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("ownerChoice")] string OwnerChoice,
    [property: JsonPropertyName("selfServiceWindow")] WindowDto SelfServiceWindow)
{
    public static OwnerEventDto From(MaintenanceEvent e) => new(
        e.Id,
        e.Vm,
        e.Host,
        e.Kind,
        e.Reason,
        e.NotBefore.ToUniversalTime(),
        e.ExpectedBlackout.TotalSeconds,
        e.State.ToString().ToLowerInvariant(),
        e.Choice switch
        {
            OwnerChoiceKind.ApprovedNow => "approved-now",
            OwnerChoiceKind.Rescheduled => "rescheduled",
            _ => "none",
        },
        new WindowDto(e.WindowStart.ToUniversalTime(), e.WindowEnd.ToUniversalTime()));
}

/// <summary>The self-service window.</summary>
public sealed record WindowDto(
    [property: JsonPropertyName("start")] DateTimeOffset Start,
    [property: JsonPropertyName("end")] DateTimeOffset End);
