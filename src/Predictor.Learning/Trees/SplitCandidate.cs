namespace Predictor.Learning.Trees;

/// <summary>
/// The best split found for a leaf; <see cref="Feature"/> is -1 when none is allowed. The left child's sums are
/// kept in the fixed point of <see cref="QuantizedGradients"/>, so the right child's are exact by subtraction.
/// </summary>
internal struct SplitCandidate
{
    public int Feature;
    public int Bin;
    public bool DefaultLeft;
    public double Gain;
    public long LeftG;
    public long LeftHessianAndCount;

    public static SplitCandidate None => new() { Feature = -1, Gain = double.NegativeInfinity };

    public readonly bool IsBetterThan(in SplitCandidate other) =>
        Gain > other.Gain || (Gain == other.Gain && Feature >= 0 && (other.Feature < 0 || Feature < other.Feature));
}
