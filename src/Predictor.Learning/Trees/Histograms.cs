using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Predictor.Learning.Trees;

/// <summary>Gradient and hessian of one row, side by side so one load fetches both.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GradientPair
{
    public float G;
    public float H;
}

/// <summary>Sums of one histogram bin.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct HistogramBin
{
    public double G;
    public double H;
    public int Count;
}

/// <summary>The inner loops of histogram building; one feature's bins are always summed by one thread in row order.</summary>
internal static class Histograms
{
    /// <summary>Adds the rows <paramref name="rows"/> into the histograms of features [f0, f1).</summary>
    public static void Build(
        BinnedMatrix data, GradientPair[] gradients, ReadOnlySpan<int> rows, HistogramBin[] histogram, int stride, int f0, int f1)
    {
        Array.Clear(histogram, f0 * stride, (f1 - f0) * stride);
        var features = data.Features;
        ref var bins = ref MemoryMarshal.GetArrayDataReference(data.Bins);
        ref var grad = ref MemoryMarshal.GetArrayDataReference(gradients);
        ref var hist = ref MemoryMarshal.GetArrayDataReference(histogram);
        ref var row0 = ref MemoryMarshal.GetReference(rows);
        for (var i = 0; i < rows.Length; i++)
        {
            var r = Unsafe.Add(ref row0, i);
            var gp = Unsafe.Add(ref grad, r);
            double g = gp.G, h = gp.H;
            ref var rowBins = ref Unsafe.Add(ref bins, (nint)r * features);
            for (var f = f0; f < f1; f++)
            {
                ref var bin = ref Unsafe.Add(ref hist, (f * stride) + Unsafe.Add(ref rowBins, f));
                bin.G += g;
                bin.H += h;
                bin.Count++;
            }
        }
    }

    /// <summary>target[f] = parent[f] - smaller[f] for features [f0, f1), in place on <paramref name="parentInto"/>.</summary>
    public static void Subtract(HistogramBin[] parentInto, HistogramBin[] smaller, int stride, int f0, int f1)
    {
        for (var i = f0 * stride; i < f1 * stride; i++)
        {
            ref var p = ref parentInto[i];
            var s = smaller[i];
            p.G -= s.G;
            p.H -= s.H;
            p.Count -= s.Count;
        }
    }
}
