namespace Predictor.Learning.TimeSeries.SpectralResidual;

/// <summary>
/// The series minus its seasonal component (ML.NET's deseasonality): per phase of the period its mean or median, or with
/// STL the residual of <see cref="StlDecomposition"/> (seasonal and trend removed). Where STL cannot decompose the batch
/// (fewer than three periods, or a non-finite result) the median mode is used instead, as ML.NET falls back to it.
/// </summary>
internal static class SrCnnDeseasonality
{
    public static double[] Residual(double[] values, int period, SrCnnDeseasonalityMode mode)
    {
        if (mode == SrCnnDeseasonalityMode.Stl)
        {
            return StlDecomposition.Residual(values, period) ?? Residual(values, period, SrCnnDeseasonalityMode.Median);
        }

        var phases = new List<double>[period];
        for (int p = 0; p < period; p++)
        {
            phases[p] = [];
        }

        for (int i = 0; i < values.Length; i++)
        {
            phases[i % period].Add(values[i]);
        }

        var seasonal = phases.Select(phase => phase.Count == 0 ? 0 : mode == SrCnnDeseasonalityMode.Mean ? phase.Average() : UpperMedian(phase)).ToArray();
        return [.. values.Select((v, i) => v - seasonal[i % period])];
    }

    /// <summary>The (n/2 + 1)-th smallest value: the median, the upper of the two middle values for an even count.</summary>
    private static double UpperMedian(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
