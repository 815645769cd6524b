using System.Data.Common;
using Predictor.Core.Outcomes;
using Predictor.Core.Risk;

namespace Predictor.Daemon.Outcomes;

/// <summary>What the SQLite and the PostgreSQL outcome logs read the same way: an outcome row, and features page by page.</summary>
internal static class OutcomeLogRows
{
    /// <summary>An outcome from the columns host, at (UTC ticks), kind, component, cause, source, model_version, probability, detail.</summary>
    public static HostOutcome Outcome(DbDataReader reader)
    {
        HostOutcome.TryParseKind(reader.GetString(2), out var kind);
        return new HostOutcome(
            reader.GetString(0), Time(reader.GetInt64(1)), kind, Empty(reader.GetString(3)), Empty(reader.GetString(4)), reader.GetString(5),
            reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetDouble(7), reader.IsDBNull(8) ? null : reader.GetString(8));
    }

    /// <summary>
    /// The feature rows from <paramref name="from"/> to before <paramref name="to"/>, read in pages of whole timestamps
    /// (<paramref name="page"/>: the rows after one time in ticks and before another), so a long span never sits in memory at once.
    /// </summary>
    public static IEnumerable<HostFeatures> Features(DateTimeOffset? from, DateTimeOffset? to, Func<long, long, List<HostFeatures>> page)
    {
        var after = from is { } f ? f.UtcTicks - 1 : long.MinValue;
        var until = to?.UtcTicks ?? long.MaxValue;
        while (true)
        {
            var rows = page(after, until);
            if (rows.Count == 0)
            {
                yield break;
            }

            foreach (var row in rows)
            {
                yield return row;
            }

            after = rows[^1].At.UtcTicks;
        }
    }

    public static DateTimeOffset Time(long ticks) => new(ticks, TimeSpan.Zero);

    private static string? Empty(string value) => value.Length == 0 ? null : value;
}
