using System.Globalization;

namespace Predictor.Simulation;

/// <summary>Consecutive simulator seeds, written <c>A..B</c> (both included) or one seed <c>A</c>.</summary>
public sealed record SeedRange(int First, int Last)
{
    /// <summary>The most seeds one range may hold (each is a whole simulated fleet).</summary>
    public const int MaxCount = 10_000;

    public int Count => Last - First + 1;

    public IEnumerable<int> Seeds => Enumerable.Range(First, Count);

    /// <summary>Parses <c>A..B</c> or <c>A</c>; null with the reason in <paramref name="error"/> otherwise.</summary>
    public static SeedRange? Parse(string? text, out string error)
    {
        error = "";
        var parts = (text ?? "").Split("..");
        if (parts.Length is 1 or 2
            && int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var first)
            && int.TryParse(parts[^1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var last))
        {
            if (last < first)
            {
                error = $"'{text}' ends before it starts (expected A..B with A <= B)";
                return null;
            }

            if ((long)last - first + 1 > MaxCount)
            {
                error = $"'{text}' holds {(long)last - first + 1} seeds (expected at most {MaxCount})";
                return null;
            }

            return new SeedRange(first, last);
        }

        error = $"'{text}' is not a seed range (expected A..B, e.g. 3001..3020, or one seed)";
        return null;
    }

    public override string ToString() => First == Last
        ? First.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{First}..{Last}");
}
