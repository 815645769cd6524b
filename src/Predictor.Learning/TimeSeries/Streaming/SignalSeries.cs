using Predictor.Learning.TimeSeries.Iid;

namespace Predictor.Learning.TimeSeries.Streaming;

internal enum DetectorEventKind
{
    Spike,
    ChangePoint,

    Novelty,
}

/// <summary>An alert of one series: when, the value, and the levels around it.</summary>
internal readonly record struct DetectorEvent(DetectorEventKind Kind, DateTimeOffset Time, double Value, double Before, double After, double Score);

/// <summary>
/// The detectors of one (host, signal, component) series: an IID spike and an IID change-point detector over the
/// values, or over the increases of a cumulative <c>_total</c> counter (a decrease is a counter reset and restarts
/// the baseline). Change points are not alerted during the first two change windows of a series. Memory is the two histories plus a fixed ring of recent alerts; an update allocates nothing.
/// </summary>
internal sealed class SignalSeries
{
    private readonly IidSpikeDetector _spike;
    private readonly IidChangePointDetector _change;
    private readonly Novelty.NoveltyDetector? _novelty;
    private readonly bool _isCounter;
    private readonly DetectorEvent[] _events;
    private int _eventStart;
    private int _eventCount;
    private readonly int _changeWarmUp;
    private readonly DateTimeOffset[] _times;
    private int _timeStart;
    private int _timeCount;
    private double _lastCounter = double.NaN;
    private long _inputs;
    private readonly TimeSpan _minInterval;
    private DateTimeOffset _lastScored = DateTimeOffset.MinValue;

    public SignalSeries(bool isCounter, IidSpikeDetectorOptions spike, IidChangePointDetectorOptions change, int maxEvents, TimeSpan minInterval = default, Novelty.NoveltyDetectorOptions? novelty = null)
    {
        _isCounter = isCounter;
        _minInterval = minInterval;
        _spike = new IidSpikeDetector(spike);
        _change = new IidChangePointDetector(change);
        _novelty = novelty is null ? null : new Novelty.NoveltyDetector(novelty);
        _events = new DetectorEvent[maxEvents];
        _changeWarmUp = 2 * change.ChangeHistoryLength;
        _times = new DateTimeOffset[change.ChangeHistoryLength];
    }

    public double SpikeScore { get; private set; }

    public double Martingale { get; private set; } = double.NaN;

    /// <summary>The novelty detector's newest score, NaN when it is off or warming up.</summary>
    public double NoveltyScore { get; private set; } = double.NaN;

    public bool IsCounter => _isCounter;

    public int EventCount => _eventCount;

    /// <summary>The earliest time a sample is scored again (the last scored time plus the minimum interval).</summary>
    public DateTimeOffset NextDue => _lastScored + _minInterval;

    public DetectorEvent EventAt(int index) => _events[(_eventStart + index) % _events.Length];

    /// <summary>Feeds one sample; returns the alerts it raised. A sample within the minimum interval of the last scored one is not scored.</summary>
    public (bool Spike, bool Change) Update(DateTimeOffset time, double value)
    {
        if (!double.IsFinite(value) || (_minInterval > TimeSpan.Zero && time - _lastScored < _minInterval))
        {
            return default;
        }

        _lastScored = time;

        double input = value;
        if (_isCounter)
        {
            double previous = _lastCounter;
            _lastCounter = value;
            if (double.IsNaN(previous) || value < previous)
            {
                return default;
            }

            input = value - previous;
        }

        var spike = _spike.Update(input);
        var change = _change.Update(input);
        var novelty = _novelty?.Update(input) ?? AnomalyScore.None;
        RecordTime(time);
        _inputs++;
        bool changeAlert = change.Alert && _inputs > _changeWarmUp;

        SpikeScore = spike.Score;
        NoveltyScore = _novelty is null || double.IsNaN(novelty.RawScore) ? double.NaN : novelty.Score;
        if (novelty.Alert)
        {
            Record(new DetectorEvent(DetectorEventKind.Novelty, time, input, double.NaN, input, novelty.Score));
        }
        Martingale = change.Martingale;
        if (spike.Alert)
        {
            var history = _spike.History;
            Record(new DetectorEvent(DetectorEventKind.Spike, time, input, Mean(history, 0, history.Count - 1), input, spike.Score));
        }

        // The martingale's first bet fills its whole window and early p-values rest on a handful of points, so a
        // new series would raise a change point while warming up; the first two windows never alert.
        if (changeAlert)
        {
            var (at, before, after) = LocateChange();
            Record(new DetectorEvent(DetectorEventKind.ChangePoint, at, input, before, after, change.Score));
        }

        return (spike.Alert, changeAlert);
    }

    /// <summary>
    /// Where in the change history the level moved: the split maximising s·(n−s)/n·(mean after − mean before)²,
    /// with its time and the two means. Runs only when a change point alerts.
    /// </summary>
    private (DateTimeOffset At, double Before, double After) LocateChange()
    {
        var history = _change.History;
        int n = history.Count;
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            total += history[i];
        }

        double best = -1;
        int split = n - 1;
        double prefix = 0;
        for (int cut = 1; cut < n; cut++)
        {
            prefix += history[cut - 1];
            double before = prefix / cut;
            double after = (total - prefix) / (n - cut);
            double statistic = (double)cut * (n - cut) / n * (after - before) * (after - before);
            if (statistic > best)
            {
                best = statistic;
                split = cut;
            }
        }

        var at = _times[(_timeStart + split) % _times.Length];
        return (at, Mean(history, 0, split), Mean(history, split, n));
    }

    private void RecordTime(DateTimeOffset time)
    {
        if (_timeCount < _times.Length)
        {
            _times[(_timeStart + _timeCount) % _times.Length] = time;
            _timeCount++;
        }
        else
        {
            _times[_timeStart] = time;
            _timeStart = (_timeStart + 1) % _times.Length;
        }
    }

    private void Record(DetectorEvent detectorEvent)
    {
        if (_eventCount < _events.Length)
        {
            _events[(_eventStart + _eventCount) % _events.Length] = detectorEvent;
            _eventCount++;
        }
        else
        {
            _events[_eventStart] = detectorEvent;
            _eventStart = (_eventStart + 1) % _events.Length;
        }
    }

    private static double Mean(Scoring.KernelPValue history, int from, int to)
    {
        if (to <= from)
        {
            return double.NaN;
        }

        double sum = 0;
        for (int i = from; i < to; i++)
        {
            sum += history[i];
        }

        return sum / (to - from);
    }
}
