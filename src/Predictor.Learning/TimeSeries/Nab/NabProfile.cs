namespace Predictor.Learning.TimeSeries.Nab;

/// <summary>A NAB application profile: the weights of true positives, false positives and missed windows, and the probationary share.</summary>
/// <param name="TpWeight">Credit of a window detected at its very start.</param>
/// <param name="FpWeight">Cost of one false-positive point (scaled by how far it is from the last window).</param>
/// <param name="FnWeight">Cost of a missed window.</param>
/// <param name="ProbationPercent">Share of each series (at most 5000 · share rows) that is not scored.</param>
public sealed record NabProfile(double TpWeight, double FpWeight, double FnWeight, double ProbationPercent)
{
    /// <summary>NAB's standard profile: TP 1, FP 0.11, FN 1, probation 15 %.</summary>
    public static NabProfile Standard { get; } = new(1.0, 0.11, 1.0, 0.15);

    /// <summary>NAB's probationary length: <c>min(floor(share · rows), share · 5000)</c>.</summary>
    public int ProbationLength(int rows) => (int)Math.Min(Math.Floor(ProbationPercent * rows), ProbationPercent * 5000);
}
