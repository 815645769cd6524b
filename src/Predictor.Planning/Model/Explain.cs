using System.Globalization;

namespace Predictor.Planning.Model;

/// <summary>Sentences for plan reasons; numbers in invariant culture so plans read the same everywhere.</summary>
internal static class Explain
{
    public static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public static string S(double seconds) => double.IsPositiveInfinity(seconds) ? "unknown" : seconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";

    public static string AtRisk(string host, double deadline, double probability) =>
        double.IsPositiveInfinity(deadline)
            ? $"Host {host} is at risk (p={N(probability)}, no predicted failure time)"
            : $"Host {host} is at risk (p={N(probability)}, predicted to fail at {S(deadline)})";
}
