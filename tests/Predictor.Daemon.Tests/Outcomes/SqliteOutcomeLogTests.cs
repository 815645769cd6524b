using System.Collections.Frozen;
using Microsoft.Data.Sqlite;
using Predictor.Core.Outcomes;
using Predictor.Core.Risk;
using Predictor.Daemon.Outcomes;

namespace Predictor.Daemon.Tests.Outcomes;

public sealed class SqliteOutcomeLogTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("predictor-outcomes-").FullName;

    private string LogPath => Path.Combine(_directory, "predictor-outcomes.db");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Append_SameOutcomeTwice_IsKeptOnce_AndReadBackWithEveryField()
    {
        using var log = new SqliteOutcomeLog(LogPath);
        var failed = new HostOutcome("h1", T0.AddHours(5), OutcomeKind.Failed, "disk:sdb", "disk-media", "RMA", Detail: "ticket 42");
        var evacuated = new HostOutcome("h2", T0.AddHours(1), OutcomeKind.Evacuated, ModelVersion: "v0003", Probability: 0.97);

        Assert.True(log.Append(failed));
        Assert.Equal(1, log.AppendRange([failed, evacuated]));

        Assert.Equal([evacuated, failed], log.Outcomes());
        Assert.Equal([failed], log.Outcomes(host: "h1"));
        Assert.Equal([evacuated], log.Outcomes(T0, T0.AddHours(2)));
        Assert.Equal(PrivateFileMode, File.GetUnixFileMode(LogPath));
    }

    [Fact]
    public void AppendFeatures_HostsWithDifferentFeatureSets_ReadBackExactly_InPagesByTime()
    {
        using (var log = new SqliteOutcomeLog(LogPath))
        {
            // 10,050 rows over 201 timestamps: more than one page of the reader
            for (var t = 0; t < 201; t++)
            {
                log.AppendFeatures([.. Enumerable.Range(0, 50).Select(h => Features($"h{h:D2}", T0.AddHours(t), h % 2 == 0 ? [("a", t + 0.1), ("b", double.NaN)] : [("c", -h / 3.0)]))]);
            }
        }

        using var reopened = new SqliteOutcomeLog(LogPath);
        var rows = reopened.Features().ToList();

        Assert.Equal(10_050, rows.Count);
        Assert.Equal(T0.AddHours(200), reopened.LatestFeaturesAt());
        Assert.Equal(rows.OrderBy(r => r.At).ThenBy(r => r.Host, StringComparer.Ordinal), rows);
        var h07 = rows.Single(r => r is { Host: "h07" } && r.At == T0.AddHours(150));
        Assert.Equal(new Dictionary<string, double> { ["c"] = -7 / 3.0 }, h07.Values);
        Assert.Equal(T0.AddHours(150).AddMinutes(-3), h07.LastSeen);
        var h08 = rows.Single(r => r is { Host: "h08" } && r.At == T0.AddHours(150));
        Assert.Equal(150.1, h08.Values["a"]);
        Assert.True(double.IsNaN(h08.Values["b"]));
        Assert.Equal(50, reopened.Features(T0.AddHours(10), T0.AddHours(11)).Count());
    }

    [Fact]
    public void Prune_OldRecords_AreDeleted()
    {
        using var log = new SqliteOutcomeLog(LogPath);
        log.AppendFeatures([Features("h1", T0, [("a", 1)]), Features("h1", T0.AddDays(2), [("a", 2)])]);
        log.AppendRange([new HostOutcome("h1", T0, OutcomeKind.Failed), new HostOutcome("h1", T0.AddDays(2), OutcomeKind.Repaired)]);

        Assert.Equal((1, 0), log.Prune(T0.AddDays(1), T0));
        Assert.Equal((0, 1), log.Prune(T0.AddDays(1), T0.AddDays(1)));
        Assert.Equal([T0.AddDays(2)], log.Features().Select(f => f.At));
        Assert.Equal([OutcomeKind.Repaired], log.Outcomes().Select(o => o.Kind));
    }

    [Fact]
    public void Open_LogOfANewerSchema_IsRefusedRatherThanMisread()
    {
        using (var connection = new SqliteConnection($"Data Source={LogPath};Pooling=false"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 7";
            command.ExecuteNonQuery();
        }

        var error = Assert.Throws<InvalidOperationException>(() => new SqliteOutcomeLog(LogPath));

        Assert.Equal($"{LogPath}: the outcome log has schema version 7, newer than this Predictor's 1; use the Predictor that wrote it, or a newer one", error.Message);
    }

    private const UnixFileMode PrivateFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static HostFeatures Features(string host, DateTimeOffset at, (string Name, double Value)[] values) =>
        new(host, at, at.AddMinutes(-3), values.ToFrozenDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal));
}
