using Predictor.Learning.TimeSeries;

namespace Predictor.Learning.Tests.TimeSeries;

/// <summary>Seeded synthetic series with known anomalies.</summary>
internal static class SyntheticSeries
{
    public static double[] Noise(int length, double mean, double sd, int seed)
    {
        var random = new Random(seed);
        var result = new double[length];
        for (int i = 0; i < length; i++)
        {
            // Box-Muller
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            result[i] = mean + (sd * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }

        return result;
    }

    public static double[] Seasonal(int length, int period, double amplitude, double noiseSd, int seed)
    {
        var noise = Noise(length, 0, noiseSd, seed);
        return Enumerable.Range(0, length).Select(t => (amplitude * Math.Sin(2 * Math.PI * t / period)) + noise[t]).ToArray();
    }

    public static int[] Alerts(AnomalyScore[] scores) =>
        scores.Select((s, i) => (s, i)).Where(x => x.s.Alert).Select(x => x.i).ToArray();
}
