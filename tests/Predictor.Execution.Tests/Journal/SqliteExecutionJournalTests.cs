using Microsoft.Data.Sqlite;
using Predictor.Execution.Journal;

namespace Predictor.Execution.Tests.Journal;

public sealed class SqliteExecutionJournalTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"journal-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Open_NewJournal_ItsFileAndWriteAheadLogAreOwnerOnly()
    {
        using var journal = new SqliteExecutionJournal(_path);
        await journal.RecordAsync(Started("p1/h1"), default);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_path + "-wal"));
    }

    [Fact]
    public async Task RecordAsync_EntryWithPausedVms_ReadsThemBackInFlightAndInHistory()
    {
        using var journal = new SqliteExecutionJournal(_path);
        await journal.RecordAsync(Started("p1/h1") with { PausedVms = ["v1", "v,2"] }, default);

        Assert.Equal(["v1", "v,2"], Assert.Single(await journal.InFlightAsync(default)).PausedVms.ToArray());
        Assert.Equal(["v1", "v,2"], Assert.Single(await journal.HistoryAsync("h1", default)).PausedVms.ToArray());
    }

    [Fact]
    public async Task RecordAsync_EntryWithoutPausedVms_ReadsBackEmpty()
    {
        using var journal = new SqliteExecutionJournal(_path);
        await journal.RecordAsync(Started("p1/h1"), default);

        var entry = Assert.Single(await journal.InFlightAsync(default));
        Assert.Empty(entry.PausedVms);
        Assert.Null(entry.Message);
    }

    [Fact]
    public async Task Constructor_FileWrittenByTheOldSchema_OpensKeepsItsStepsAndStoresPausedVms()
    {
        using (var old = new SqliteConnection($"Data Source={_path};Pooling=False"))
        {
            old.Open();
            using var command = old.CreateCommand();
            command.CommandText = """
                CREATE TABLE steps (
                    step_id TEXT PRIMARY KEY, plan_id TEXT NOT NULL, kind TEXT NOT NULL, target TEXT NOT NULL,
                    from_host TEXT NOT NULL, to_host TEXT, state TEXT NOT NULL, at TEXT NOT NULL, message TEXT);
                CREATE TABLE transitions (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT, step_id TEXT NOT NULL, plan_id TEXT NOT NULL, kind TEXT NOT NULL,
                    target TEXT NOT NULL, from_host TEXT NOT NULL, to_host TEXT, state TEXT NOT NULL, at TEXT NOT NULL, message TEXT);
                INSERT INTO steps VALUES ('p0/h1', 'p0', 'MemoryPreserving', 'h1', 'h1', NULL, 'Started', '2026-01-05T00:00:00.0000000+00:00', 'staying: v1,v2');
                """;
            command.ExecuteNonQuery();
        }

        using var journal = new SqliteExecutionJournal(_path);
        var legacy = Assert.Single(await journal.InFlightAsync(default));
        Assert.Equal(("p0/h1", "staying: v1,v2"), (legacy.StepId, legacy.Message));
        Assert.Empty(legacy.PausedVms);

        await journal.RecordAsync(Started("p1/h2", "h2") with { PausedVms = ["v3"] }, default);
        Assert.Equal(["v3"], Assert.Single(await journal.HistoryAsync("h2", default)).PausedVms.ToArray());
    }

    [Fact]
    public async Task HistoryPageAsync_ManyTransitions_PagesBackFromTheNewestOldestFirst()
    {
        using var journal = new SqliteExecutionJournal(_path);
        for (var i = 1; i <= 5; i++)
        {
            await journal.RecordAsync(Started($"p{i}/h1"), default);
        }

        await journal.RecordAsync(Started("p9/h2", "h2"), default);

        var newest = await journal.HistoryPageAsync("h1", 2, null, default);
        var older = await journal.HistoryPageAsync("h1", 2, newest[0].Position, default);
        var oldest = await journal.HistoryPageAsync("h1", 2, older[0].Position, default);
        // the interface's own paging over the whole history agrees on which entries each page holds
        IExecutionJournal plain = new WholeHistory(await journal.HistoryAsync("h1", default));
        var plainNewest = await plain.HistoryPageAsync("h1", 2, null, default);

        Assert.Equal(["p4/h1", "p5/h1"], newest.Select(p => p.Entry.StepId));
        Assert.Equal(["p2/h1", "p3/h1"], older.Select(p => p.Entry.StepId));
        Assert.Equal(["p1/h1"], oldest.Select(p => p.Entry.StepId));
        Assert.True(newest[0].Position < newest[1].Position);
        Assert.Equal(["p4/h1", "p5/h1"], plainNewest.Select(p => p.Entry.StepId));
        Assert.Equal(["p3/h1"], (await plain.HistoryPageAsync("h1", 1, plainNewest[0].Position, default)).Select(p => p.Entry.StepId));
    }

    private sealed class WholeHistory(IReadOnlyList<JournalEntry> history) : IExecutionJournal
    {
        public Task RecordAsync(JournalEntry entry, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<IReadOnlyList<JournalEntry>> InFlightAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<JournalEntry>>([]);

        public Task<IReadOnlyList<JournalEntry>> HistoryAsync(string target, CancellationToken cancellationToken) => Task.FromResult(history);
    }

    private static JournalEntry Started(string stepId, string host = "h1") =>
        new(stepId, stepId.Split('/')[0], StepKind.MemoryPreserving, host, host, null, StepState.Started, At);
}
