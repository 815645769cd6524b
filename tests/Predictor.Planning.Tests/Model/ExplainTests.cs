using System.Globalization;
using Predictor.Planning.Model;

namespace Predictor.Planning.Tests.Model;

public class ExplainTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.04)]
    [InlineData(0.05)]
    [InlineData(219.4928288)]
    [InlineData(3517.6330873999996)]
    [InlineData(1245506.7)]
    [InlineData(-12.25)]
    [InlineData(1e12)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NaN)]
    public void Seconds_written_in_place_read_as_S_writes_them(double seconds)
    {
        var inPlace = string.Create(CultureInfo.InvariantCulture, $"ends at {Explain.Seconds(seconds)}.");

        Assert.Equal($"ends at {Explain.S(seconds)}.", inPlace);
        Assert.Equal(Explain.S(seconds), Explain.Seconds(seconds).ToString());
    }

    [Fact]
    public void Seconds_report_a_buffer_too_small_without_writing_part_of_them()
    {
        Span<char> small = stackalloc char[4];

        Assert.False(Explain.Seconds(1234.5).TryFormat(small, out var written, default, CultureInfo.InvariantCulture));
        Assert.Equal(0, written);
        Assert.False(Explain.Seconds(double.PositiveInfinity).TryFormat(small, out written, default, CultureInfo.InvariantCulture));
        Assert.Equal(0, written);

        // the number fits, its unit does not
        Span<char> seven = stackalloc char[7];
        Assert.False(Explain.Seconds(1234.5).TryFormat(seven, out written, default, CultureInfo.InvariantCulture));
        Assert.Equal(0, written);
    }
}
