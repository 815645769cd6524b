namespace Predictor.Learning.TimeSeries.Scoring;

/// <summary>Shared range checks so every detector reports its option errors in the same words.</summary>
internal static class OptionChecks
{
    public static void Confidence(List<string> errors, string name, double value)
    {
        if (!(value > 0 && value < 100))
        {
            errors.Add($"{name} must be in (0, 100), got {value}");
        }
    }

    public static void AtLeast(List<string> errors, string name, int value, int minimum)
    {
        if (value < minimum)
        {
            errors.Add($"{name} must be at least {minimum}, got {value}");
        }
    }

    public static void Epsilon(List<string> errors, string name, double value)
    {
        if (!(value > 0 && value < 1))
        {
            errors.Add($"{name} must be in (0, 1), got {value}");
        }
    }

    public static void Defined<T>(List<string> errors, string name, T value)
        where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            errors.Add($"{name} has undefined value {value}");
        }
    }
}
