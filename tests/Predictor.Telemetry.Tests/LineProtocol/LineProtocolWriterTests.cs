using System.Buffers;
using System.Text;
using Predictor.Telemetry.LineProtocol;

namespace Predictor.Telemetry.Tests.LineProtocol;

public sealed class LineProtocolWriterTests
{
    [Fact]
    public void EndLine_EveryTypeAndEscape_WritesReferenceSyntax()
    {
        var text = Write(w => w.BeginLine("my meas,ure=x")
            .Tag("t k,=", "v a,l=ue")
            .Tag("p", @"a\b")
            .Field("f", 1.5)
            .Field("i", -3L)
            .FieldUnsigned("u", 18446744073709551615UL)
            .Field("b", true)
            .Field("s", "say \"hi\" \\ \n,= done")
            .EndLine(1767225600L));

        Assert.Equal("my\\ meas\\,ure=x,t\\ k\\,\\==v\\ a\\,l\\=ue,p=a\\b f=1.5,i=-3i,u=18446744073709551615u,b=true,s=\"say \\\"hi\\\" \\\\ \n,= done\" 1767225600\n", text);
    }

    [Theory]
    [InlineData(@"a\\b", @"a\\b")]
    [InlineData(@"a\b", @"a\b")]
    [InlineData(@"\x", @"\x")]
    public void Tag_Backslashes_WrittenAsTheyAreAsInfluxReadsThem(string value, string written) =>
        Assert.Equal($"m,t={written} v=1i\n", Write(w => w.BeginLine("m").Tag("t", value).Field("v", 1L).EndLine()));

    [Theory]
    [InlineData(@"a\")]
    [InlineData(@"a\,b")]
    [InlineData(@"a\ b")]
    [InlineData(@"a\=b")]
    public void Tag_BackslashInfluxWouldReadAsAnEscape_Throws(string value) =>
        Assert.Throws<ArgumentException>(() => Write(w => w.BeginLine("m").Tag("t", value)));

    [Theory]
    [InlineData(@"cpu\")]
    [InlineData(@"cpu\=x")]
    [InlineData(@"cpu\""x")]
    public void BeginLine_BackslashInfluxWouldReadAsAnEscape_Throws(string measurement) =>
        Assert.Throws<ArgumentException>(() => Write(w => w.BeginLine(measurement)));

    [Theory]
    [InlineData("#comment")]
    [InlineData("\tlead")]
    [InlineData("\0lead")]
    public void BeginLine_MeasurementAReaderCannotRecover_Throws(string measurement) =>
        Assert.Throws<ArgumentException>(() => Write(w => w.BeginLine(measurement)));

    [Fact]
    public void Field_NaN_ThrowsNamingTheField()
    {
        var ex = Assert.Throws<ArgumentException>(() => Write(w => w.BeginLine("m").Field("temp", double.NaN)));
        Assert.StartsWith("Field 'temp' is NaN", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EndLine_WithoutField_Throws() =>
        Assert.Throws<InvalidOperationException>(() => Write(w => w.BeginLine("m").Tag("a", "b").EndLine()));

    [Fact]
    public void EndLine_DateTimeInMilliseconds_ConvertsToPrecision()
    {
        var buffer = new ArrayBufferWriter<byte>();
        new LineProtocolWriter(buffer, TimestampPrecision.Milliseconds).BeginLine("m").Field("v", 1L).EndLine(DateTimeOffset.FromUnixTimeMilliseconds(1767225600123));
        Assert.Equal("m v=1i 1767225600123\n", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private static string Write(Action<LineProtocolWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(new LineProtocolWriter(buffer));
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
