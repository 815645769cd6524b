using System.Text.Json;

namespace Predictor.Execution.Hypervisors.Qmp;

/// <summary>The parts of QEMU's <c>query-migrate</c> answer that orchestration needs.</summary>
/// <param name="Status">none, setup, active, pre-switchover, device, completed, failed, cancelling, cancelled, ...</param>
/// <param name="DowntimeMs">The switch-over pause QEMU measured; present once completed.</param>
/// <param name="TotalTimeMs">Time since the migration started, as QEMU counts it.</param>
/// <param name="TransferredBytes">RAM bytes sent so far, all passes.</param>
/// <param name="RemainingBytes">RAM bytes still dirty.</param>
/// <param name="DirtySyncCount">How many times the dirty bitmap was synced (the pre-copy round).</param>
/// <param name="ErrorDescription">QEMU's reason for a failed migration.</param>
internal sealed record QmpMigrationInfo(string Status, long? DowntimeMs, long? TotalTimeMs, long TransferredBytes, long RemainingBytes, int DirtySyncCount, string? ErrorDescription)
{
    public bool IsCompleted => Status == "completed";

    public bool IsFinished => Status is "completed" or "failed" or "cancelled";

    public bool IsInProgress => Status is "setup" or "active" or "pre-switchover" or "device" or "postcopy-active" or "postcopy-paused"
        or "postcopy-recover" or "wait-unplug" or "cancelling" or "colo";

    public static QmpMigrationInfo Parse(JsonElement result)
    {
        var status = result.TryGetProperty("status", out var s) ? s.GetString() ?? "none" : "none";
        long transferred = 0, remaining = 0;
        var round = 0;
        if (result.TryGetProperty("ram", out var ram))
        {
            transferred = Int64(ram, "transferred") ?? 0;
            remaining = Int64(ram, "remaining") ?? 0;
            round = (int)(Int64(ram, "dirty-sync-count") ?? 0);
        }

        var error = result.TryGetProperty("error-desc", out var e) ? e.GetString() : null;
        return new QmpMigrationInfo(status, Int64(result, "downtime"), Int64(result, "total-time"), transferred, remaining, round, error);
    }

    private static long? Int64(JsonElement element, string name) =>
        element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? (long)v.GetDouble() : null;
}
