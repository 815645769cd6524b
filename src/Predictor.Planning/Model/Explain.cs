using System.Globalization;
using System.Runtime.CompilerServices;

namespace Predictor.Planning.Model;

/// <summary>Sentences for plan reasons; numbers in invariant culture so plans read the same everywhere.</summary>
internal static class Explain
{
    public static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public static string S(double seconds) => double.IsPositiveInfinity(seconds) ? "unknown" : seconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";

    /// <summary>
    /// <see cref="S"/> written straight into an interpolated string built with <see cref="CultureInfo.InvariantCulture"/>
    /// (<c>string.Create(CultureInfo.InvariantCulture, $"… {Explain.Seconds(x)} …")</c>): the same text without a string per number,
    /// which matters for the 100,000 reasons of a datacenter-wide rollout.
    /// </summary>
    public static SecondsText Seconds(double seconds) => new(seconds);

    public static string AtRisk(string host, double deadline, double probability) =>
        double.IsPositiveInfinity(deadline)
            ? $"Host {host} is at risk (p={N(probability)}, no predicted failure time)"
            : $"Host {host} is at risk (p={N(probability)}, predicted to fail at {S(deadline)})";

    /// <summary>A duration as <see cref="S"/> writes it, formatted in place.</summary>
    public readonly struct SecondsText(double seconds) : ISpanFormattable
    {
        public override string ToString() => S(seconds);

        public string ToString(string? format, IFormatProvider? formatProvider) => S(seconds);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
        {
            if (double.IsPositiveInfinity(seconds))
            {
                return "unknown".TryCopyTo(destination) ? Written(7, out charsWritten) : Written(0, out charsWritten, false);
            }

            if (seconds.TryFormat(destination, out var n, "0.#", CultureInfo.InvariantCulture) && " s".TryCopyTo(destination[n..]))
            {
                return Written(n + 2, out charsWritten);
            }

            return Written(0, out charsWritten, false);
        }

        private static bool Written(int count, out int charsWritten, bool ok = true)
        {
            charsWritten = count;
            return ok;
        }
    }
}
