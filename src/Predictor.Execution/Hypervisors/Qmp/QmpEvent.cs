using System.Text.Json;

namespace Predictor.Execution.Hypervisors.Qmp;

/// <summary>An asynchronous QMP event (STOP, RESUME, MIGRATION, MIGRATION_PASS, SHUTDOWN, ...).</summary>
/// <param name="Name">The event name as QEMU sends it.</param>
/// <param name="Data">The event's <c>data</c> object; an empty object when QEMU sent none.</param>
/// <param name="Timestamp">QEMU's own timestamp of the event (host wall clock at emission).</param>
internal sealed record QmpEvent(string Name, JsonElement Data, DateTimeOffset Timestamp)
{
    /// <summary>The <c>status</c> member of a MIGRATION event, or null for other events.</summary>
    public string? MigrationStatus =>
        Name == "MIGRATION" && Data.ValueKind == JsonValueKind.Object && Data.TryGetProperty("status", out var s) ? s.GetString() : null;
}
