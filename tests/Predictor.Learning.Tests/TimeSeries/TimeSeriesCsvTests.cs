using Predictor.Learning.TimeSeries;

namespace Predictor.Learning.Tests.TimeSeries;

public sealed class TimeSeriesCsvTests
{
    private static IReadOnlyList<TimeSeriesRow> Read(string text) => TimeSeriesCsv.Read(new StringReader(text), "in.csv");

    [Fact]
    public void Read_HeaderAndRows_KeepsTimestampsVerbatim()
    {
        var rows = Read("timestamp,value\n2013-12-02 21:15:00,73.5\r\n\n2013-12-02 21:20:00,-1e2\n");

        Assert.Equal([new TimeSeriesRow("2013-12-02 21:15:00", 73.5), new TimeSeriesRow("2013-12-02 21:20:00", -100)], rows);
    }

    [Theory]
    [InlineData("timestamp,value\nt1,1\nt2,abc\n", "in.csv line 3, column 2 (value): expected a finite number, got 'abc'")]
    [InlineData("t1,1\nt2,1,2\n", "in.csv line 2: expected 2 columns (timestamp,value), got 3")]
    [InlineData("t1,1\n,5\n", "in.csv line 2, column 1 (timestamp): expected a timestamp, got an empty field")]
    [InlineData("t1,NaN\n", "in.csv line 1, column 2 (value): expected a finite number, got 'NaN'")]
    [InlineData("timestamp,value\n", "in.csv: no data rows (expected lines of timestamp,value)")]
    public void Read_Malformed_NamesLineAndColumn(string text, string message)
    {
        var ex = Assert.Throws<TimeSeriesCsvException>(() => Read(text));

        Assert.Equal(message, ex.Message);
    }
}
