using System.Runtime.Intrinsics;

namespace Predictor.Learning.Trees;

/// <summary>
/// The best threshold of one feature for one leaf, from the leaf's histogram of that feature. Each threshold
/// is tried with missing values on the left and, when the leaf has any, on the right; ties keep the first.
/// </summary>
internal static class SplitFinder
{
    public static SplitCandidate BestForFeature(
        ReadOnlySpan<Vector128<long>> bins, int feature, long leafG, long leafHessianAndCount, QuantizedGradients q, GbdtOptions options)
    {
        var best = SplitCandidate.None;
        var l2 = options.L2;
        var minCount = options.MinExamplesPerLeaf;
        var minHess = options.MinHessianPerLeaf;
        var leafCount = q.Count(leafHessianAndCount);
        var leafGradient = q.Gradient(leafG);
        var parentTerm = leafGradient * leafGradient / (q.Hessian(leafHessianAndCount) + l2);
        var missingG = bins[0].GetElement(0);
        var missingHc = bins[0].GetElement(1);
        var hasMissing = q.Count(missingHc) > 0;
        // t = the last value bin is "every value left, missing right": only meaningful with missing rows.
        var lastT = hasMissing ? bins.Length - 1 : bins.Length - 2;
        long accG = 0, accHc = 0;
        for (var t = 1; t <= lastT; t++)
        {
            accG += bins[t].GetElement(0);
            accHc += bins[t].GetElement(1);
            for (var missingRight = t == bins.Length - 1 ? 1 : 0; missingRight < (hasMissing ? 2 : 1); missingRight++)
            {
                var lg = missingRight == 0 ? accG + missingG : accG;
                var lhc = missingRight == 0 ? accHc + missingHc : accHc;
                var lc = q.Count(lhc);
                if (lc < minCount || leafCount - lc < minCount)
                {
                    continue;
                }

                var lh = q.Hessian(lhc);
                var rh = q.Hessian(leafHessianAndCount - lhc);
                if (lh < minHess || rh < minHess)
                {
                    continue;
                }

                var lgd = q.Gradient(lg);
                var rgd = q.Gradient(leafG - lg);
                var gain = 0.5 * ((lgd * lgd / (lh + l2)) + (rgd * rgd / (rh + l2)) - parentTerm);
                if (gain > best.Gain)
                {
                    best = new SplitCandidate
                    {
                        Feature = feature, Bin = t, DefaultLeft = missingRight == 0, Gain = gain, LeftG = lg, LeftHessianAndCount = lhc,
                    };
                }
            }
        }

        return best;
    }
}
