namespace Predictor.Learning.Trees;

/// <summary>The best split found for a leaf; <see cref="Feature"/> is -1 when none is allowed.</summary>
internal struct SplitCandidate
{
    public int Feature;
    public int Bin;
    public bool DefaultLeft;
    public double Gain;
    public double LeftG;
    public double LeftH;
    public int LeftCount;

    public static SplitCandidate None => new() { Feature = -1, Gain = double.NegativeInfinity };

    public readonly bool IsBetterThan(in SplitCandidate other) =>
        Gain > other.Gain || (Gain == other.Gain && Feature >= 0 && (other.Feature < 0 || Feature < other.Feature));
}
