namespace Predictor.Learning.TimeSeries.Evaluation;

/// <summary>A labelled anomaly window (inclusive).</summary>
public readonly record struct LabelledWindow(DateTimeOffset Start, DateTimeOffset End);

/// <summary>How one labelled window was caught: the first alert inside it, if any.</summary>
public sealed record WindowResult(LabelledWindow Window, DateTimeOffset? FirstAlert)
{
    public bool Detected => FirstAlert is not null;

    /// <summary>Time from the window start to the first alert.</summary>
    public TimeSpan? AfterStart => FirstAlert - Window.Start;

    /// <summary>Time from the first alert to the window end (NAB centres windows on the labelled anomaly; larger is earlier).</summary>
    public TimeSpan? BeforeEnd => Window.End - FirstAlert;
}

/// <summary>Detection of labelled windows and false alarms outside them.</summary>
/// <param name="Windows">Per window, in label order.</param>
/// <param name="FalseAlarmPoints">Alerted points outside every window.</param>
/// <param name="FalseAlarmEpisodes">False alarms grouped: an alert within <c>episodeGap</c> of the previous false alarm joins its episode.</param>
public sealed record WindowEvaluationResult(IReadOnlyList<WindowResult> Windows, int FalseAlarmPoints, int FalseAlarmEpisodes)
{
    public int DetectedWindows => Windows.Count(w => w.Detected);
}

/// <summary>Scores alerts against labelled windows, NAB style.</summary>
public static class WindowEvaluation
{
    public static WindowEvaluationResult Evaluate(IReadOnlyList<DateTimeOffset> times, IReadOnlyList<bool> alerts, IReadOnlyList<LabelledWindow> windows, TimeSpan episodeGap)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(windows);
        if (times.Count != alerts.Count)
        {
            throw new ArgumentException($"times has {times.Count} entries but alerts has {alerts.Count}", nameof(alerts));
        }

        var first = new DateTimeOffset?[windows.Count];
        int falsePoints = 0;
        int episodes = 0;
        DateTimeOffset? lastFalse = null;
        for (int i = 0; i < times.Count; i++)
        {
            if (!alerts[i])
            {
                continue;
            }

            var t = times[i];
            int inside = -1;
            for (int w = 0; w < windows.Count; w++)
            {
                if (t >= windows[w].Start && t <= windows[w].End)
                {
                    inside = w;
                    break;
                }
            }

            if (inside >= 0)
            {
                first[inside] ??= t;
                continue;
            }

            falsePoints++;
            if (lastFalse is null || t - lastFalse.Value > episodeGap)
            {
                episodes++;
            }

            lastFalse = t;
        }

        var results = windows.Select((w, i) => new WindowResult(w, first[i])).ToList();
        return new WindowEvaluationResult(results, falsePoints, episodes);
    }
}
