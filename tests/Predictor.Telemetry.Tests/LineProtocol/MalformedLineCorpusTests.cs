using Predictor.Telemetry.LineProtocol;

namespace Predictor.Telemetry.Tests.LineProtocol;

/// <summary>Each malformed line with the exact error an operator reads.</summary>
public sealed class MalformedLineCorpusTests
{
    public static TheoryData<string, int, string> Corpus => new()
    {
        { ",host=a v=1", 1, "missing measurement" },
        { "cpu", 4, "missing fields" },
        { "cpu   ", 7, "missing fields" },
        { "cpu,host=a", 11, "missing fields" },
        { "cpu,host=a ", 12, "missing fields" },
        { "cpu,=a v=1", 5, "missing tag key" },
        { "cpu,host=a, v=1", 12, "missing tag key" },
        { "cpu,host v=1", 9, "expected '=' after tag key 'host'" },
        { "cpu,host= v=1", 10, "missing tag value for key 'host'" },
        { "cpu,host=a=b v=1", 11, "unescaped '=' in the value of tag 'host'" },
        { "cpu,host=a,host=b v=1", 12, "duplicate tag key 'host'" },
        { "cpu =1", 5, "missing field key" },
        { "cpu v=1,", 9, "missing field key" },
        { "cpu v=1, w=2", 9, "missing field key" },
        { "cpu value", 10, "expected '=' after field key 'value'" },
        { "cpu value 1", 10, "expected '=' after field key 'value'" },
        { "cpu v=", 7, "missing value for field 'v'" },
        { "cpu v=,w=1", 7, "missing value for field 'v'" },
        { "cpu v= 1", 7, "missing value for field 'v'" },
        { "cpu v=abc", 7, "invalid field value 'abc' for field 'v': expected a number, an integer (1i), a \"string\" or a boolean" },
        { "cpu v=1x", 7, "invalid field value '1x' for field 'v': expected a number, an integer (1i), a \"string\" or a boolean" },
        { "cpu v=1.2.3", 7, "invalid field value '1.2.3' for field 'v': expected a number, an integer (1i), a \"string\" or a boolean" },
        { "cpu v=+1", 7, "invalid field value '+1' for field 'v': expected a number, an integer (1i), a \"string\" or a boolean" },
        { "cpu v=1e", 7, "invalid field value '1e' for field 'v': expected a number, an integer (1i), a \"string\" or a boolean" },
        { "cpu v=NaN", 7, "invalid field value 'NaN' for field 'v': expected a number, an integer (1i), a \"string\" or a boolean" },
        { "cpu v=-", 7, "invalid field value '-' for field 'v': expected a number, an integer (1i), a \"string\" or a boolean" },
        { "cpu v=1e400", 7, "float '1e400' is out of range for field 'v'" },
        { "cpu v=1.5i", 7, "invalid integer '1.5i' for field 'v'" },
        { "cpu v=i", 7, "invalid field value 'i' for field 'v': expected a number, an integer (1i), a \"string\" or a boolean" },
        { "cpu v=9223372036854775808i", 7, "integer '9223372036854775808i' is out of range for field 'v'" },
        { "cpu v=-9223372036854775809i", 7, "integer '-9223372036854775809i' is out of range for field 'v'" },
        { "cpu v=-1u", 7, "invalid unsigned integer '-1u' for field 'v'" },
        { "cpu v=18446744073709551616u", 7, "unsigned integer '18446744073709551616u' is out of range for field 'v'" },
        { "cpu v=tru", 7, "invalid boolean 'tru' for field 'v'" },
        { "cpu v=tRUE", 7, "invalid boolean 'tRUE' for field 'v'" },
        { "cpu v=Falsey", 7, "invalid boolean 'Falsey' for field 'v'" },
        { "cpu v=1\r", 7, "invalid field value '1\r' for field 'v': expected a number, an integer (1i), a \"string\" or a boolean" },
        { "cpu v=1 5\r", 9, "invalid timestamp '5\r': expected an integer" },
        { @"cpu\\ v=1", 10, "missing fields" },
        { @"cpu a\\=1", 5, @"invalid field key 'a\\=1': no value follows it" },
        { "cpu v=1 12a", 9, "invalid timestamp '12a': expected an integer" },
        { "cpu v=1 1.5", 9, "invalid timestamp '1.5': expected an integer" },
        { "cpu v=1 99999999999999999999", 9, "timestamp '99999999999999999999' is out of range" },
        { "cpu v=1 1 2", 11, "unexpected text after the timestamp" },
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Read_MalformedLine_ReportsExactError(string line, int column, string reason)
    {
        var (points, errors) = ParsedPoint.ParseAll($"ok v=1\n{line}\nok v=2\n");

        Assert.Equal(2, points.Count);
        var error = Assert.Single(errors);
        Assert.Equal((2, column, reason), (error.Line, error.Column, error.Reason));
        Assert.Equal(line.TrimEnd(), error.Text.TrimEnd());
    }

    [Fact]
    public void Read_SecondsTimestampBeyondNanosecondRange_ReportsPrecision()
    {
        var (_, errors) = ParsedPoint.ParseAll("cpu v=1 9300000000000", TimestampPrecision.Seconds);
        Assert.Equal("timestamp '9300000000000' is out of range for precision s (InfluxDB stores times from 1677-09-21 to 2262-04-11)", Assert.Single(errors).Reason);
    }

    [Fact]
    public void ToString_Error_UsesInfluxWordingWithPosition() =>
        Assert.Equal(
            "unable to parse 'cpu v=': missing value for field 'v' (line 1, column 7)",
            ParsedPoint.ParseAll("cpu v=").Errors.Single().ToString());

    [Fact]
    public void Read_UnterminatedStringBeforeMoreLines_SwallowsToEndAsInflux()
    {
        var (points, errors) = ParsedPoint.ParseAll("ok v=1\ncpu v=\"open\nok v=2\n");
        Assert.Single(points);
        Assert.Equal((2, 7), (errors[0].Line, errors[0].Column));
    }
}
