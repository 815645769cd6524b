using System.Text.Json;
using Predictor.Execution.Hypervisors.Qmp;

namespace Predictor.Execution.Tests.Hypervisors.Qmp;

public sealed class QmpMigrationInfoTests
{
    [Fact]
    public void Parse_CompletedAnswerFromQemu72_ReadsDowntimeAndBytes()
    {
        // Recorded from QEMU 7.2 (Debian 12) after migrating a 64 MiB guest.
        const string json = """{"status": "completed", "setup-time": 1, "downtime": 31, "total-time": 136, "ram": {"total": 67444736, "postcopy-requests": 0, "dirty-sync-count": 3, "multifd-bytes": 0, "pages-per-second": 128019, "downtime-bytes": 12677900, "page-size": 4096, "remaining": 0, "postcopy-bytes": 0, "mbps": 74.08, "transferred": 67926341, "precopy-bytes": 55248441, "duplicate": 0, "dirty-pages-rate": 0, "skipped": 0, "normal-bytes": 67317760, "normal": 16435}}""";

        var info = QmpMigrationInfo.Parse(JsonDocument.Parse(json).RootElement);

        Assert.Equal(new QmpMigrationInfo("completed", 31, 136, 67926341, 0, 3, null), info);
        Assert.True(info.IsCompleted);
        Assert.True(info.IsFinished);
    }

    [Fact]
    public void Parse_FailedAnswer_ReadsErrorDescription()
    {
        const string json = """{"status": "failed", "error-desc": "Unable to write to socket: Broken pipe"}""";

        var info = QmpMigrationInfo.Parse(JsonDocument.Parse(json).RootElement);

        Assert.Equal(new QmpMigrationInfo("failed", null, null, 0, 0, 0, "Unable to write to socket: Broken pipe"), info);
        Assert.False(info.IsInProgress);
    }

    [Fact]
    public void Parse_NoMigrationYet_StatusNone()
    {
        var info = QmpMigrationInfo.Parse(JsonDocument.Parse("{}").RootElement);

        Assert.Equal("none", info.Status);
        Assert.False(info.IsInProgress);
        Assert.False(info.IsFinished);
    }
}
