namespace Predictor.Learning.Calibration;

/// <summary>Maps a raw model score to a probability.</summary>
internal interface ICalibrator
{
    /// <summary>Name written in model files: <c>platt</c>, <c>isotonic</c> or <c>sigmoid</c>.</summary>
    string Kind { get; }

    double Probability(double rawScore);
}

/// <summary>No fitted calibration: the logistic sigmoid of the raw log-odds score.</summary>
internal sealed class SigmoidCalibrator : ICalibrator
{
    public static SigmoidCalibrator Instance { get; } = new();

    public string Kind => "sigmoid";

    public double Probability(double rawScore) => 1.0 / (1.0 + Math.Exp(-rawScore));
}
