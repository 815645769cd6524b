namespace Predictor.Simulation.Randomness;

/// <summary>A small deterministic generator (SplitMix64) for building the fleet; independent of the runtime's Random.</summary>
internal struct SimRandom(ulong seed)
{
    private ulong _state = seed;

    public static SimRandom For(int seed, ulong stream, ulong index = 0) =>
        new(SimHash.Hash((ulong)(uint)seed, stream, index, 0x5EED));

    public ulong NextULong()
    {
        _state += 0x9E3779B97F4A7C15UL;
        var z = _state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => SimHash.Unit(NextULong());

    public double Uniform(double min, double max) => min + ((max - min) * NextDouble());

    /// <summary>Uniform integer in [min, max].</summary>
    public int Int(int min, int max) => min + (int)(NextULong() % (ulong)(max - min + 1));

    public bool Chance(double probability) => NextDouble() < probability;

    public double Normal() => SimHash.Normal(NextULong());

    /// <summary>Log-normal with the given median and log-space sigma: the skew of error counts and dirty rates.</summary>
    public double LogNormal(double median, double sigma) => median * Math.Exp(sigma * Normal());

    /// <summary>Exponential with the given mean.</summary>
    public double Exponential(double mean) => -mean * Math.Log(1.0 - NextDouble());

    /// <summary>Index drawn with probability proportional to its weight.</summary>
    public int Pick(ReadOnlySpan<double> weights)
    {
        var total = 0.0;
        foreach (var w in weights)
        {
            total += w;
        }

        var x = NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            x -= weights[i];
            if (x < 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }
}
