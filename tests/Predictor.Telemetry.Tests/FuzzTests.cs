using System.Text;
using Predictor.Telemetry.LineProtocol;
using Predictor.Telemetry.Mapping;
using Predictor.Telemetry.Push;
using Predictor.Telemetry.Scrape;
using Predictor.Testing.Alerts;
using Predictor.Testing.Fuzz;
using Predictor.Testing.Telemetry;

namespace Predictor.Telemetry.Tests;

/// <summary>
/// The parsers that read what the network sends, fuzzed: they report bad input as errors and never throw or hang.
/// A short run here; <c>PREDICTOR_FUZZ_ITERATIONS=1000000</c> for the long one (README).
/// </summary>
public sealed class FuzzTests
{
    private static readonly string[] s_lines =
    [
        "cpu,host=h1,dc=x cpu_load=0.5,temp=61i,ok=true,name=\"a \\\"b\\\"\" 1767225600000000000",
        "disk,host=h2,disk=sda smart_5_raw=72u,smart_197_raw=0i 1767225600",
        @"m\ x,ho\,st=h\=1 f\ 1=1e-3,s=""x\\y"" -5",
        "mem,host=h3 mem_ce_total=12 1767225600123",
        "# a comment\n\nfan,host=h1,fan=2 fan_rpm=4000i\n",
    ];

    [Fact]
    public void LineProtocolReader_MutatedBatches_ReportErrorsAndNeverThrow()
    {
        var seeds = s_lines.Select(l => Encoding.UTF8.GetBytes(l)).Append(Encoding.UTF8.GetBytes(string.Join('\n', s_lines))).ToList();
        Fuzzer.Run("line-protocol", seeds, input =>
        {
            foreach (var precision in new[] { TimestampPrecision.Nanoseconds, TimestampPrecision.Seconds })
            {
                var reader = new LineProtocolReader(input, precision);
                for (var guard = 0; reader.Read() != LineReadResult.End; guard++)
                {
                    Assert.True(guard <= input.Length + 1, "the reader did not advance");
                    if (reader.Error is null)
                    {
                        _ = reader.TagCount;
                        _ = reader.RawLine.Length;
                    }
                }
            }
        });
    }

    [Fact]
    public void PushHandler_MutatedBatches_RefuseLinesWithHeaderSafeReasonsAndNeverThrow()
    {
        var handler = new InfluxPushHandler(
            new PushOptions { AllowAnonymous = true }, new SignalMapper(new SignalMappingOptions(), NullSink.Instance), null, new CollectingAlertPublisher(), TimeProvider.System);
        var bound = new HostToken { Token = "host-token-01", Hosts = ["h1", "rack-*"] };
        var seeds = s_lines.Select(l => Encoding.UTF8.GetBytes(l))
            .Append(Encoding.UTF8.GetBytes("cpu,time=x v=1 1\ncpu time=1 2\ncpu a=1,a=\"x\" 3\nhôte,host=rack-7 v=1u 4\ncpu,host=h2 v=1 5\n"))
            .Append([.. "cp"u8, 0xc3, .. " v=1 1\nc,h=\xff v=abc\n"u8])
            .ToList();
        Fuzzer.Run("push-handler", seeds, input =>
        {
            var outcome = handler.IngestAsync(input, TimestampPrecision.Seconds, input.Length % 2 == 0 ? bound : null, CancellationToken.None).GetAwaiter().GetResult();
            foreach (var error in outcome.Errors)
            {
                var header = PushEndpoints.HeaderSafe(error.ToString());
                Assert.True(header.Length <= 1024 && header.All(c => c is >= ' ' and <= '~'), $"not header-safe: {header}");
            }
        });
    }

    [Fact]
    public void PrometheusTextParser_MutatedExpositions_ReportErrorsAndNeverThrow()
    {
        const string Exposition = """
            # HELP node_hwmon_temp_celsius Hardware monitor for temperature (input)
            # TYPE node_hwmon_temp_celsius gauge
            node_hwmon_temp_celsius{chip="platform_coretemp_0",sensor="temp1"} 45.5
            node_edac_correctable_errors_total{controller="0"} 7 1767225600000
            weird{path="C:\\dir",quote="say \"hi\"",nl="a\nb",} +Inf
            sci 1.5e3
            """;
        Fuzzer.Run("prometheus-text", [Encoding.UTF8.GetBytes(Exposition)], input => PrometheusTextParser.Parse(Encoding.UTF8.GetString(input)));
    }
}
