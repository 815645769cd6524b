using System.ComponentModel.DataAnnotations;
using Predictor.Core.Configuration;

namespace Predictor.Core.Tests.Configuration;

public sealed class OptionsGuardTests
{
    [Fact]
    public void Errors_AttributesAndOwnRulesBroken_ReportsAllInTheOneForm() =>
        Assert.Equal(
            [
                "Sample:Count: out of range (got 0; expected at least 1).",
                "Sample:Share: out of range (got 1; expected more than 0 and less than 1).",
                "Sample:Window: out of range (got 00:00:00; expected more than 00:00:00 and at most 01:00:00).",
                "Sample:Name: empty (got ' '; expected a name).",
                "Sample:Low: above Sample:High (got 5; expected at most 2).",
            ],
            OptionsGuard.Errors(new SampleOptions { Count = 0, Share = 1, Window = TimeSpan.Zero, Name = " ", Low = 5, High = 2 }));

    [Fact]
    public void Errors_ValidOptions_Empty() => Assert.Empty(OptionsGuard.Errors(new SampleOptions()));

    [Fact]
    public void ThrowIfInvalid_Invalid_ThrowsNamingEveryProblem()
    {
        var e = Assert.Throws<ArgumentException>(() => OptionsGuard.ThrowIfInvalid(new SampleOptions { Count = 0, Name = "" }, "options"));

        Assert.Equal("Sample:Count: out of range (got 0; expected at least 1). Sample:Name: empty (got ''; expected a name). (Parameter 'options')", e.Message);
    }

    [Fact]
    public void Show_Values_AsAnOperatorWritesThem()
    {
        Assert.Equal("nothing", OptionsError.Show(null));
        Assert.Equal("'a b'", OptionsError.Show("a b"));
        Assert.Equal("true", OptionsError.Show(true));
        Assert.Equal("0.5", OptionsError.Show(0.5));
        Assert.Equal("00:00:01.5000000", OptionsError.Show(TimeSpan.FromSeconds(1.5)));
    }

    [OptionsSection("Sample")]
    private sealed class SampleOptions : IValidatableObject
    {
        [InRange(1, int.MaxValue)]
        public int Count { get; set; } = 1;

        [InRange(0.0, 1.0, MinimumIsExclusive = true, MaximumIsExclusive = true)]
        public double Share { get; set; } = 0.5;

        [InRange(typeof(TimeSpan), "00:00:00", "01:00:00", MinimumIsExclusive = true)]
        public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

        [NotEmpty(Expected = "a name")]
        public string Name { get; set; } = "x";

        public int Low { get; set; }

        public int High { get; set; }

        IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
        {
            if (Low > High)
            {
                yield return OptionsError.Invalid("Sample:Low", "above Sample:High", Low, $"at most {High}");
            }
        }
    }
}
