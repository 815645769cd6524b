namespace Predictor.Simulation.Randomness;

/// <summary>
/// Stateless randomness: every draw is a hash of (seed, host, step, stream), so telemetry is a pure
/// function of its inputs and any time range can be emitted in any chunking with identical results.
/// SplitMix64's finaliser mixes well enough for simulation and costs a few nanoseconds.
/// </summary>
internal static class SimHash
{
    private const double UnitScale = 1.0 / (1UL << 53);

    public static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    public static ulong Hash(ulong seed, ulong a, ulong b, ulong c) =>
        Mix(Mix(Mix(seed ^ (a * 0xD6E8FEB86659FD93UL)) ^ (b * 0xA0761D6478BD642FUL)) ^ c);

    /// <summary>Uniform in [0, 1).</summary>
    public static double Unit(ulong hash) => (hash >> 11) * UnitScale;

    /// <summary>Standard normal (Box–Muller on two values derived from one hash).</summary>
    public static double Normal(ulong hash)
    {
        var u1 = 1.0 - Unit(hash);
        var u2 = Unit(Mix(hash));
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
