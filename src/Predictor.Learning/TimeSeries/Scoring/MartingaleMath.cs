namespace Predictor.Learning.TimeSeries.Scoring;

/// <summary>
/// Betting functions of the conformal martingales (Fedorova et al., arXiv:1204.3251) in log scale, and the
/// alert threshold ML.NET uses for change points: the martingale a run of <c>historyLength</c> p-values each
/// equal to <c>1 − confidence/100</c> would reach. For confidence 95, history 20 and ε = 0.1 that is
/// <c>(0.1 · 0.05^−0.9)^20 = 2621.44</c>.
/// </summary>
internal static class MartingaleMath
{
    /// <summary>P-values are kept in [MinPValue, 1 − MinPValue] so that the logs stay finite.</summary>
    public const double MinPValue = 1e-8;

    public const double MaxPValue = 1 - MinPValue;

    public static double LogPowerBet(double p, double epsilon) => Math.Log(epsilon) + ((epsilon - 1) * Math.Log(p));

    public static double LogMixtureBet(double p)
    {
        double logP = Math.Log(p);
        return Math.Log((p * logP) + 1 - p) - (2 * Math.Log(-logP)) - logP;
    }

    public static double LogBet(MartingaleType type, double p, double epsilon) => type switch
    {
        MartingaleType.Power => LogPowerBet(p, epsilon),
        MartingaleType.Mixture => LogMixtureBet(p),
        _ => 0,
    };

    public static double ChangePointThreshold(double confidence, int historyLength, MartingaleType type, double epsilon) => type switch
    {
        MartingaleType.Power => Math.Exp(historyLength * LogPowerBet(1 - (confidence / 100), epsilon)),
        MartingaleType.Mixture => Math.Exp(historyLength * LogMixtureBet(1 - (confidence / 100))),
        _ => double.MaxValue,
    };
}
