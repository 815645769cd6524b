using Predictor.Learning.TimeSeries.Iid;

namespace Predictor.Learning.TimeSeries.Streaming;

internal enum DetectorEventKind
{
    Spike,
    ChangePoint,
}

/// <summary>An alert of one series: when, the value, and the levels around it.</summary>
internal readonly record struct DetectorEvent(DetectorEventKind Kind, DateTimeOffset Time, double Value, double Before, double After, double Score);

/// <summary>
/// The detectors of one (host, signal, component) series: an IID spike and an IID change-point detector over the
/// values, or over the increases of a cumulative <c>_total</c> counter (a decrease is a counter reset and restarts
/// the baseline). Memory is the two histories plus a fixed ring of recent alerts; an update allocates nothing.
/// </summary>
internal sealed class SignalSeries
{
    private const int AfterPoints = 3;
    private readonly IidSpikeDetector _spike;
    private readonly IidChangePointDetector _change;
    private readonly bool _isCounter;
    private readonly DetectorEvent[] _events;
    private int _eventStart;
    private int _eventCount;
    private double _lastCounter = double.NaN;

    public SignalSeries(bool isCounter, IidSpikeDetectorOptions spike, IidChangePointDetectorOptions change, int maxEvents)
    {
        _isCounter = isCounter;
        _spike = new IidSpikeDetector(spike);
        _change = new IidChangePointDetector(change);
        _events = new DetectorEvent[maxEvents];
    }

    public double SpikeScore { get; private set; }

    public double Martingale { get; private set; } = double.NaN;

    public bool IsCounter => _isCounter;

    public int EventCount => _eventCount;

    public DetectorEvent EventAt(int index) => _events[(_eventStart + index) % _events.Length];

    /// <summary>Feeds one sample; returns the alerts it raised.</summary>
    public (bool Spike, bool Change) Update(DateTimeOffset time, double value)
    {
        if (!double.IsFinite(value))
        {
            return default;
        }

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
        SpikeScore = spike.Score;
        Martingale = change.Martingale;
        if (spike.Alert)
        {
            var history = _spike.History;
            Record(new DetectorEvent(DetectorEventKind.Spike, time, input, Mean(history, 0, history.Count - 1), input, spike.Score));
        }

        if (change.Alert)
        {
            var history = _change.History;
            int n = history.Count;
            int after = Math.Min(AfterPoints, n / 2);
            Record(new DetectorEvent(DetectorEventKind.ChangePoint, time, input, Mean(history, 0, n / 2), Mean(history, n - after, n), change.Score));
        }

        return (spike.Alert, change.Alert);
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
