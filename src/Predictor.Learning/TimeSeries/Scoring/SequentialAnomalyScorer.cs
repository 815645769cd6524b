namespace Predictor.Learning.TimeSeries.Scoring;

/// <summary>What the scorer thresholds to raise an alert.</summary>
internal enum AlertOn
{
    PValue,
    Martingale,
}

/// <summary>
/// Turns a stream of raw scores into ML.NET's (Alert, Raw Score, P-Value, Martingale) outputs:
/// the raw score's kernel p-value against the last <c>windowSize</c> raw scores, made one- or two-sided
/// (<c>1 − p</c> for negative, <c>min(p, 1 − p)</c> for two-sided) and clamped to [1e-8, 1 − 1e-8];
/// for change points a martingale over the last <c>windowSize</c> log bets (the first bet fills the whole window),
/// alerted at the threshold and then muted for <c>windowSize</c> points so one change alerts once.
/// No alert is raised before the history is full. Steady state allocates nothing.
/// </summary>
internal sealed class SequentialAnomalyScorer
{
    private readonly KernelPValue _history;
    private readonly AnomalySide _side;
    private readonly AlertOn _alertOn;
    private readonly MartingaleType _martingale;
    private readonly double _epsilon;
    private readonly double[] _logBets;
    private readonly double _logThreshold;
    private int _betStart;
    private int _betCount;
    private double _logMartingale;
    private int _muteCounter;

    public SequentialAnomalyScorer(int windowSize, AnomalySide side, AlertOn alertOn, MartingaleType martingale, double epsilon, double alertThreshold)
    {
        _history = new KernelPValue(windowSize);
        _side = side;
        _alertOn = alertOn;
        _martingale = martingale;
        _epsilon = epsilon;
        AlertThreshold = alertThreshold;
        _logThreshold = Math.Log(alertThreshold);
        _logBets = new double[alertOn == AlertOn.Martingale && martingale != MartingaleType.None ? windowSize : 1];
    }

    /// <summary>The p-value (at most) or martingale (at least) that raises an alert.</summary>
    public double AlertThreshold { get; }

    /// <summary>The raw-score history, oldest first.</summary>
    public KernelPValue History => _history;

    public AnomalyScore Next(double rawScore)
    {
        if (double.IsNaN(rawScore))
        {
            return AnomalyScore.None;
        }

        float raw = (float)rawScore;
        double p = _history.Next(raw);
        p = _side switch
        {
            AnomalySide.Negative => 1 - p,
            AnomalySide.Positive => p,
            _ => Math.Min(p, 1 - p),
        };
        p = Math.Clamp(p, MartingaleMath.MinPValue, MartingaleMath.MaxPValue);

        double martingale = double.NaN;
        if (_alertOn == AlertOn.Martingale && _martingale != MartingaleType.None)
        {
            double bet = MartingaleMath.LogBet(_martingale, p, _epsilon);
            if (_betCount == 0)
            {
                Array.Fill(_logBets, bet);
                _betCount = _logBets.Length;
                _logMartingale += _logBets.Length * bet;
            }
            else
            {
                _logMartingale += bet - _logBets[_betStart];
                _logBets[_betStart] = bet;
                _betStart = (_betStart + 1) % _logBets.Length;
            }

            martingale = Math.Exp(_logMartingale);
        }

        bool alert = false;
        double score;
        if (_alertOn == AlertOn.PValue)
        {
            score = 1 - p;
            alert = _history.IsFull && p <= AlertThreshold;
        }
        else
        {
            score = _logThreshold > 0 ? Math.Clamp(_logMartingale / _logThreshold, 0, 1) : (martingale >= AlertThreshold ? 1 : 0);
            if (_history.IsFull)
            {
                alert = _martingale != MartingaleType.None && martingale >= AlertThreshold;
                if (alert)
                {
                    if (_muteCounter > 0)
                    {
                        alert = false;
                    }
                    else
                    {
                        _muteCounter = _logBets.Length;
                    }
                }

                _muteCounter = Math.Max(_muteCounter - 1, 0);
            }
        }

        return new AnomalyScore(alert, rawScore, p, martingale, double.NaN, score);
    }
}
