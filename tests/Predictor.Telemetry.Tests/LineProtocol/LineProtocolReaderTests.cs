using System.Text;
using Predictor.Telemetry.LineProtocol;

namespace Predictor.Telemetry.Tests.LineProtocol;

public sealed class LineProtocolReaderTests
{
    [Fact]
    public void Read_HostTelemetryLine_YieldsMeasurementTagsFieldsAndTimestamp()
    {
        var p = ParsedPoint.Single("smart,host=h0001,disk=sda smart_5_raw=3i,smart_194_raw=41.5,ok=true,model=\"ST4000\",hours=12u 1767225600000000000");

        Assert.Equal("smart", p.Measurement);
        Assert.Equal([("host", "h0001"), ("disk", "sda")], p.Tags);
        Assert.Equal(
            [
                ("smart_5_raw", LineFieldKind.Integer, (object)3L),
                ("smart_194_raw", LineFieldKind.Float, 41.5),
                ("ok", LineFieldKind.Boolean, true),
                ("model", LineFieldKind.String, "ST4000"),
                ("hours", LineFieldKind.Unsigned, 12UL),
            ],
            p.Fields);
        Assert.Equal(1767225600000000000L, p.Timestamp);
    }

    [Theory]
    [InlineData("1", 1.0)]
    [InlineData("-1", -1.0)]
    [InlineData("1.5", 1.5)]
    [InlineData("-0.25", -0.25)]
    [InlineData(".5", 0.5)]
    [InlineData("5.", 5.0)]
    [InlineData("1e3", 1000.0)]
    [InlineData("1E-3", 0.001)]
    [InlineData("2.5e+2", 250.0)]
    [InlineData("0.1", 0.1)]
    [InlineData("123456789012345678901234567890", 123456789012345678901234567890.0)]
    [InlineData("1.7976931348623157e308", double.MaxValue)]
    [InlineData("4.9e-324", double.Epsilon)]
    [InlineData("0.30000000000000004", 0.30000000000000004)]
    public void Read_FloatField_ParsesExactly(string text, double expected)
    {
        var p = ParsedPoint.Single($"m v={text}");
        Assert.Equal(LineFieldKind.Float, p.Fields[0].Kind);
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits((double)p.Fields[0].Value));
    }

    [Theory]
    [InlineData("0i", 0L)]
    [InlineData("-0i", 0L)]
    [InlineData("42i", 42L)]
    [InlineData("9223372036854775807i", long.MaxValue)]
    [InlineData("-9223372036854775808i", long.MinValue)]
    public void Read_IntegerField_ParsesFullRange(string text, long expected) =>
        Assert.Equal(("v", LineFieldKind.Integer, (object)expected), ParsedPoint.Single($"m v={text}").Fields[0]);

    [Theory]
    [InlineData("0u", 0UL)]
    [InlineData("18446744073709551615u", ulong.MaxValue)]
    public void Read_UnsignedField_ParsesFullRange(string text, ulong expected) =>
        Assert.Equal(("v", LineFieldKind.Unsigned, (object)expected), ParsedPoint.Single($"m v={text}").Fields[0]);

    [Theory]
    [InlineData("t", true)]
    [InlineData("T", true)]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("TRUE", true)]
    [InlineData("f", false)]
    [InlineData("F", false)]
    [InlineData("false", false)]
    [InlineData("False", false)]
    [InlineData("FALSE", false)]
    public void Read_BooleanSpellings_AllAccepted(string text, bool expected) =>
        Assert.Equal(("v", LineFieldKind.Boolean, (object)expected), ParsedPoint.Single($"m v={text}").Fields[0]);

    [Theory]
    [InlineData(@"my\,meas\ urement v=1", "my,meas urement")]
    [InlineData(@"my\=meas v=1", "my=meas")]
    [InlineData(@"my\""meas v=1", "my\"meas")]
    [InlineData(@"my\\meas v=1", @"my\\meas")]
    [InlineData(@"my\meas v=1", @"my\meas")]
    [InlineData(@"my\\\,meas v=1", @"my\\,meas")]
    [InlineData("my=meas\"x v=1", "my=meas\"x")]
    public void Read_MeasurementEscapes_UnescapedAsInflux(string line, string expected) =>
        Assert.Equal(expected, ParsedPoint.Single(line).Measurement);

    [Theory]
    [InlineData(@"cpu,regions=\\ east value=1", @"\ east")]
    [InlineData(@"cpu,regions=eas\\ t value=1", @"eas\ t")]
    [InlineData(@"cpu,regions=east\\  value=1", @"east\ ")]
    [InlineData(@"cpu,regions=\\,\,\=east value=1", @"\,,=east")]
    [InlineData(@"cpu,regions=eas\t value=1", @"eas\t")]
    [InlineData("cpu,regions== value=1", "=")]
    [InlineData(@"cpu,regions=""a x=1", "\"a")]
    public void Read_TagValueEscapes_AsInfluxReadsThem(string line, string expected) =>
        Assert.Equal(expected, ParsedPoint.Single(line).Tags[0].Value);

    [Fact]
    public void Read_DoubleBackslashBeforeSpaceInMeasurement_EscapesTheSpaceAsInflux()
    {
        var (points, errors) = ParsedPoint.ParseAll(@"cpu\\ value=42");
        Assert.Empty(points);
        Assert.Equal("missing fields", Assert.Single(errors).Reason);
    }

    [Fact]
    public void Read_TextAfterAClosedString_KeptAsInfluxDoes()
    {
        // InfluxDB takes the value up to the comma and drops its first and last byte
        var p = ParsedPoint.Single("cpu v=\"x\"y,w=1");
        Assert.Equal([("v", LineFieldKind.String, (object)"x\""), ("w", LineFieldKind.Float, 1.0)], p.Fields);
    }

    [Fact]
    public void Read_UnsignedRefused_WhenTheReaderIsToldInfluxHasNone()
    {
        var reader = new LineProtocolReader("m v=12u"u8, unsignedIntegers: false);
        Assert.Equal(LineReadResult.Error, reader.Read());
        Assert.Equal("unsigned integer '12u' for field 'v' is not accepted: InfluxDB 1.x stores no unsigned integers (write 12i)", reader.Error!.Reason);
    }

    [Theory]
    [InlineData("cpu v=1 -9223372036854775806", true)]
    [InlineData("cpu v=1 -9223372036854775807", false)]
    [InlineData("cpu v=1 9223372036854775806", true)]
    [InlineData("cpu v=1 9223372036854775807", false)]
    public void Read_TimestampAtInfluxBounds_AcceptedInside(string line, bool accepted) =>
        Assert.Equal(accepted ? 0 : 1, ParsedPoint.ParseAll(line).Errors.Count);

    [Fact]
    public void Read_SeriesKeyOverInfluxBound_Refused()
    {
        var name = new string('a', 65535 - 4 - 1);
        Assert.Empty(ParsedPoint.ParseAll(name + " v=1").Errors);
        Assert.Equal(
            $"series key of {name.Length + 1} bytes with field 'v' is longer than InfluxDB's 65535",
            Assert.Single(ParsedPoint.ParseAll(name + "a v=1").Errors).Reason);
    }

    [Fact]
    public void Read_TagAndFieldKeyEscapes_Unescaped()
    {
        var p = ParsedPoint.Single(@"m,t\ k\,1\=x=v\ a\,l\=ue,p=a\b f\ k\=y\,z=1i");
        Assert.Equal([("t k,1=x", "v a,l=ue"), ("p", @"a\b")], p.Tags);
        Assert.Equal("f k=y,z", p.Fields[0].Key);
    }

    [Fact]
    public void Read_StringFieldEscapes_QuotesAndBackslashesUnescapedOthersLiteral()
    {
        var p = ParsedPoint.Single("m s=\"a \\\"q\\\" b\\\\c \\n, = d\"");
        Assert.Equal("a \"q\" b\\c \\n, = d", p.Fields[0].Value);
    }

    [Fact]
    public void Read_StringFieldWithNewline_SpansLinesAndCountsThem()
    {
        var (points, errors) = ParsedPoint.ParseAll("m s=\"one\ntwo\" 1\nm v=oops\n");
        Assert.Equal("one\ntwo", Assert.Single(points).Fields[0].Value);
        Assert.Equal(3, Assert.Single(errors).Line);
    }

    [Fact]
    public void Read_CommentsBlankLinesAndWhitespace_Skipped()
    {
        var (points, errors) = ParsedPoint.ParseAll("# comment\n\n   \n  m v=1 10\n\t# another\n\0m  \tv=2  \t20  \nm v=3");
        Assert.Empty(errors);
        Assert.Equal([10L, 20L, null], points.Select(p => p.Timestamp));
    }

    [Fact]
    public void Read_CrlfLine_RefusedAsInfluxReadsTheCarriageReturnAsPartOfTheTimestamp()
    {
        var (points, errors) = ParsedPoint.ParseAll("m v=1 10\r\nm v=2 20\n");
        Assert.Equal([20L], points.Select(p => p.Timestamp));
        Assert.Equal("invalid timestamp '10\r': expected an integer", Assert.Single(errors).Reason);
    }

    [Theory]
    [InlineData(TimestampPrecision.Seconds, 1767225600L, "2026-01-01T00:00:00Z")]
    [InlineData(TimestampPrecision.Milliseconds, 1767225600123L, "2026-01-01T00:00:00.123Z")]
    [InlineData(TimestampPrecision.Microseconds, 1767225600123456L, "2026-01-01T00:00:00.123456Z")]
    [InlineData(TimestampPrecision.Nanoseconds, 1767225600123456700L, "2026-01-01T00:00:00.1234567Z")]
    public void GetTime_EachPrecision_ConvertsToInstant(TimestampPrecision precision, long timestamp, string expected)
    {
        var reader = new LineProtocolReader(Encoding.UTF8.GetBytes($"m v=1 {timestamp}"), precision);
        Assert.Equal(LineReadResult.Point, reader.Read());
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), reader.GetTime(DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void GetTime_NoTimestamp_UsesReceiveTime()
    {
        var now = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var reader = new LineProtocolReader("m v=1"u8);
        Assert.Equal(LineReadResult.Point, reader.Read());
        Assert.False(reader.HasTimestamp);
        Assert.Equal(now, reader.GetTime(now));
    }

    [Fact]
    public void Read_BatchWithBadLines_ReturnsValidPointsAndEveryErrorWithPosition()
    {
        var (points, errors) = ParsedPoint.ParseAll("m v=1 1\nm v= 2\nm,host=a v=3 3\nm v=1x\nm v=4 4");
        Assert.Equal([1L, 3L, 4L], points.Select(p => p.Timestamp));
        Assert.Equal([(2, 5), (4, 5)], errors.Select(e => (e.Line, e.Column)));
    }

    [Fact]
    public void TryGetTag_ByUnescapedKey_FindsValueWithoutAllocatingString()
    {
        var reader = new LineProtocolReader(@"m,dc=x,ho\ st=h1 v=1"u8);
        Assert.Equal(LineReadResult.Point, reader.Read());
        Assert.True(reader.TryGetTag("ho st"u8, out var value));
        Assert.True(value.Equals("h1"u8));
        Assert.False(reader.TryGetTag("host"u8, out _));
    }

    [Fact]
    public void RawLine_Point_IsTheLineWithoutLeadingWhitespaceOrItsEnding()
    {
        var reader = new LineProtocolReader(" \tm v=1 5\nn v=2\n"u8);
        reader.Read();
        Assert.Equal("m v=1 5", Encoding.UTF8.GetString(reader.RawLine));
        reader.Read();
        Assert.Equal("n v=2", Encoding.UTF8.GetString(reader.RawLine));
    }

    [Fact]
    public void Read_ManyPointsWithScratch_DoesNotAllocatePerPoint()
    {
        var batch = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("host,host=h0001 cpu_load=0.5,mce_total=1i,mem_ue_total=0i,ok=t,s=\"x\" 1767225600000000000\n", 1000)));
        var scratch = new LineProtocolScratch();
        Count(batch, scratch);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var n = Count(batch, scratch);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(1000, n);

        // The runtime may allocate a little on this thread (tiered JIT); one allocation per point would be >= 24 bytes each.
        Assert.True(allocated < 1000 * 24 / 2, $"{allocated} bytes allocated for 1000 points");
    }

    private static int Count(byte[] batch, LineProtocolScratch scratch)
    {
        var reader = new LineProtocolReader(batch, TimestampPrecision.Nanoseconds, scratch);
        var n = 0;
        while (reader.Read() == LineReadResult.Point)
        {
            n += reader.GetField(0).TryGetNumber(out _) ? 1 : 0;
        }

        return n;
    }
}
