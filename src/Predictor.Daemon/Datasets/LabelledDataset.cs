using System.Globalization;
using Predictor.Core.Risk;
using Predictor.Learning.Lifecycle;

namespace Predictor.Daemon.Datasets;

/// <summary>What a labelled dataset holds and what it left out.</summary>
public sealed record DatasetCounts
{
    public int Rows { get; set; }

    public int Positives { get; set; }

    public int TrainRows { get; set; }

    public int TrainPositives { get; set; }

    public int TestRows { get; set; }

    public int TestPositives { get; set; }

    /// <summary>Rows whose outcome is unknown (left out).</summary>
    public int Censored { get; set; }

    /// <summary>Rows of hosts down or gone (left out).</summary>
    public int OutOfService { get; set; }

    /// <summary>Rows between the training rows and the test slice (left out: their horizon reaches into the slice).</summary>
    public int Gap { get; set; }

    public DateTimeOffset? From { get; set; }

    public DateTimeOffset? To { get; set; }

    /// <summary>The most common time between consecutive row times; null with fewer than two row times.</summary>
    public TimeSpan? RowInterval { get; set; }
}

/// <summary>
/// Writes host feature rows as a training set: <c>host,time,&lt;features&gt;,label</c>, the features being
/// <see cref="Columns"/> (what the daemon's feature code produces for models, in model order; a missing one is empty) and
/// the label from a <see cref="HorizonLabeler"/>. Censored rows and rows of hosts out of service are counted, not written.
/// With a test writer, rows after <c>testFrom</c> go to it and training rows stop one horizon before it, so no training
/// label looks into the test slice.
/// </summary>
public static class LabelledDataset
{
    /// <summary>The feature columns of every dataset: the host features models are trained on.</summary>
    public static IReadOnlyList<string> Columns => FeatureNames.All;

    /// <summary>The CSV header.</summary>
    public static string Header => "host,time," + string.Join(',', Columns) + ",label";

    public static async Task<DatasetCounts> WriteAsync(
        IAsyncEnumerable<HostFeatures> rows, HorizonLabeler labeler, TextWriter train, TextWriter? test = null, DateTimeOffset? testFrom = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(labeler);
        ArgumentNullException.ThrowIfNull(train);
        if ((test is null) != (testFrom is null))
        {
            throw new ArgumentException("a test writer needs the time its slice starts, and the other way round");
        }

        await train.WriteLineAsync(Header).ConfigureAwait(false);
        if (test is not null)
        {
            await test.WriteLineAsync(Header).ConfigureAwait(false);
        }

        var counts = new DatasetCounts();
        var gaps = new Dictionary<long, int>();
        DateTimeOffset? lastTime = null;
        await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (lastTime is { } last && row.At > last)
            {
                var gap = (row.At - last).Ticks;
                gaps[gap] = gaps.GetValueOrDefault(gap) + 1;
            }

            lastTime = row.At;
            var label = labeler.Label(row.Host, row.At);
            if (label is RowLabel.Censored or RowLabel.OutOfService)
            {
                _ = label == RowLabel.Censored ? counts.Censored++ : counts.OutOfService++;
                continue;
            }

            var positive = label == RowLabel.Positive ? 1 : 0;
            TextWriter target;
            if (testFrom is { } split && row.At > split)
            {
                target = test!;
                counts.TestRows++;
                counts.TestPositives += positive;
            }
            else if (testFrom is { } start && row.At > start - labeler.Horizon)
            {
                counts.Gap++;
                continue;
            }
            else
            {
                target = train;
                counts.TrainRows++;
                counts.TrainPositives += positive;
            }

            counts.Rows++;
            counts.Positives += positive;
            counts.From ??= row.At;
            counts.To = row.At;
            await target.WriteLineAsync(Line(row, positive)).ConfigureAwait(false);
        }

        counts.RowInterval = gaps.Count == 0 ? null : TimeSpan.FromTicks(gaps.MaxBy(g => (g.Value, -g.Key)).Key);
        return counts;
    }

    /// <summary>One CSV line: host, time (ISO 8601 UTC, seconds), each column's value in round-trip form (empty when missing), label.</summary>
    public static string Line(HostFeatures row, int label)
    {
        ArgumentNullException.ThrowIfNull(row);
        var line = new System.Text.StringBuilder(row.Host.Length + 24 + Columns.Count * 8);
        line.Append(row.Host).Append(',').Append(row.At.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        foreach (var name in Columns)
        {
            line.Append(',');
            var v = row.Get(name);
            if (!double.IsNaN(v))
            {
                line.Append(v.ToString("R", CultureInfo.InvariantCulture));
            }
        }

        return line.Append(',').Append(label).ToString();
    }
}
