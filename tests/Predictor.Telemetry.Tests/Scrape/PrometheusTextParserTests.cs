using Predictor.Telemetry.Scrape;

namespace Predictor.Telemetry.Tests.Scrape;

public sealed class PrometheusTextParserTests
{
    [Fact]
    public void Parse_NodeExporterExposition_SamplesWithLabelsValuesAndTimestamps()
    {
        var (samples, errors) = PrometheusTextParser.Parse("""
            # HELP node_hwmon_temp_celsius Hardware monitor for temperature (input)
            # TYPE node_hwmon_temp_celsius gauge
            node_hwmon_temp_celsius{chip="platform_coretemp_0",sensor="temp1"} 45.5
            node_edac_correctable_errors_total{controller="0"} 7 1767225600000
            up 1
            weird{path="C:\\dir",quote="say \"hi\"",nl="a\nb",} +Inf
            nan_metric NaN
            neg -Inf
            sci 1.5e3

            """);

        Assert.Empty(errors);
        Assert.Equal(["node_hwmon_temp_celsius", "node_edac_correctable_errors_total", "up", "weird", "nan_metric", "neg", "sci"], samples.Select(s => s.Name));
        Assert.Equal("platform_coretemp_0", samples[0].Labels["chip"]);
        Assert.Equal(45.5, samples[0].Value);
        Assert.Equal(1767225600000L, samples[1].TimestampMs);
        Assert.Null(samples[2].TimestampMs);
        Assert.Equal(("C:\\dir", "say \"hi\"", "a\nb"), (samples[3].Labels["path"], samples[3].Labels["quote"], samples[3].Labels["nl"]));
        Assert.Equal(double.PositiveInfinity, samples[3].Value);
        Assert.True(double.IsNaN(samples[4].Value));
        Assert.Equal(double.NegativeInfinity, samples[5].Value);
        Assert.Equal(1500.0, samples[6].Value);
    }

    [Theory]
    [InlineData("{a=\"b\"} 1", 1, "expected a metric name")]
    [InlineData("m{=\"b\"} 1", 3, "expected a label name or '}'")]
    [InlineData("m{a\"b\"} 1", 4, "expected '=' after label 'a'")]
    [InlineData("m{a=b} 1", 5, "expected '\"' to open the value of label 'a'")]
    [InlineData("m{a=\"b} 1", 5, "unterminated value of label 'a'")]
    [InlineData("m{a=\"\\x\"} 1", 6, "invalid escape '\\x' in the value of label 'a'")]
    [InlineData("m{a=\"1\",a=\"2\"} 1", 9, "duplicate label 'a'")]
    [InlineData("m{a=\"1\" b=\"2\"} 1", 9, "expected ',' or '}' after a label value")]
    [InlineData("m", 2, "expected a space before the value")]
    [InlineData("m abc", 3, "invalid value 'abc': expected a float, NaN, +Inf or -Inf")]
    [InlineData("m 1 12.5", 5, "invalid timestamp '12.5': expected integer milliseconds")]
    [InlineData("m 1 12 x", 8, "unexpected text after the timestamp")]
    public void Parse_MalformedLine_ExactErrorAndOtherLinesKept(string line, int column, string reason)
    {
        var (samples, errors) = PrometheusTextParser.Parse($"ok 1\n{line}\nok 2\n");

        Assert.Equal(2, samples.Count);
        Assert.Equal(new PrometheusParseError(2, column, reason), Assert.Single(errors));
    }
}
