using System.ComponentModel.DataAnnotations;

namespace Predictor.Core.Configuration;

/// <summary>
/// <see cref="RangeAttribute"/> whose failure reads like every other configuration error
/// (<c>Limits:MaxConcurrent: out of range (got 0; expected at least 1).</c>); the options source generator and
/// <see cref="Validator"/> both honour it.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class InRangeAttribute : RangeAttribute
{
    /// <summary>The largest <see cref="TimeSpan"/>, as text: a duration range with only a lower bound.</summary>
    public const string Unbounded = "10675199.02:48:05.4775807";

    public InRangeAttribute(int minimum, int maximum)
        : base(minimum, maximum)
    {
    }

    public InRangeAttribute(double minimum, double maximum)
        : base(minimum, maximum)
    {
    }

    /// <summary>A range of another type (<see cref="TimeSpan"/>, <see cref="long"/>) given as invariant text.</summary>
    public InRangeAttribute(Type type, string minimum, string maximum)
        : base(type, minimum, maximum)
    {
        ParseLimitsInInvariantCulture = true;
        ConvertValueInInvariantCulture = true;
    }

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        return IsValid(value)
            ? ValidationResult.Success
            : OptionsError.Invalid($"{OptionsSectionAttribute.Of(validationContext.ObjectType)}:{validationContext.MemberName}", "out of range", value, Expected());
    }

    private string Expected()
    {
        var (min, max) = (OptionsError.Show(Minimum), OptionsError.Show(Maximum));
        if (Maximum is int.MaxValue or long.MaxValue or double.MaxValue or TimeSpan { Ticks: long.MaxValue })
        {
            return (MinimumIsExclusive ? "more than " : "at least ") + min;
        }

        return (MinimumIsExclusive, MaximumIsExclusive) switch
        {
            (false, false) => $"{min} to {max}",
            (true, false) => $"more than {min} and at most {max}",
            (false, true) => $"at least {min} and less than {max}",
            _ => $"more than {min} and less than {max}",
        };
    }
}
