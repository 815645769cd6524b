using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Predictor.Core.Alerts;
using Predictor.Core.Telemetry;
using Predictor.Telemetry.LineProtocol;
using Predictor.Telemetry.Mapping;
using Predictor.Telemetry.Push;
using Predictor.Telemetry.Spool;
using Predictor.Testing;
using Predictor.Testing.Alerts;
using Predictor.Testing.Telemetry;

namespace Predictor.Telemetry.Tests.Push;

public sealed class PushEndpointsTests : IDisposable
{
    private const string Token = "push-token-1";
    private readonly string _spoolDir = Path.Combine(Path.GetTempPath(), "push-spool-" + Guid.NewGuid().ToString("N"));
    private readonly CollectingSink _sink = new();
    private readonly CollectingAlertPublisher _alerts = new();
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero));

    public void Dispose()
    {
        if (Directory.Exists(_spoolDir))
        {
            Directory.Delete(_spoolDir, recursive: true);
        }
    }

    [Fact]
    public async Task Write_ValidBatch_204AndSamplesMapped()
    {
        await using var server = await Start(new PushOptions { AllowAnonymous = true });

        using var response = await server.Http.PostAsync("write?db=telemetry&precision=s", Text("host,host=h1 cpu_load=0.5 1767225600\nfan,host=h1,fan=2 fan_rpm=4000i 1767225600\n"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(
            [
                new TelemetrySample("h1", SignalNames.CpuLoad, null, DateTimeOffset.FromUnixTimeSeconds(1767225600), 0.5),
                new TelemetrySample("h1", SignalNames.FanSpeed, "2", DateTimeOffset.FromUnixTimeSeconds(1767225600), 4000),
            ],
            _sink.Samples);
    }

    [Fact]
    public async Task Write_MalformedLines_400PartialWriteInInfluxShapeAndValidLinesKept()
    {
        await using var server = await Start(new PushOptions { AllowAnonymous = true });

        using var response = await server.Http.PostAsync("write?db=telemetry", Text("host,host=h1 cpu_load=0.5\nhost,host=h1 cpu_load=\nhost,host=h1 cpu_temp_c=50\n"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            "{\"error\":\"partial write: unable to parse \\u0027host,host=h1 cpu_load=\\u0027: missing value for field \\u0027cpu_load\\u0027 (line 2, column 23) dropped=0\"}",
            await response.Content.ReadAsStringAsync());
        Assert.Equal(2, _sink.Samples.Count);
    }

    [Fact]
    public async Task WriteV2_MalformedOnly_400InV2Shape()
    {
        await using var server = await Start(new PushOptions { AllowAnonymous = true });

        using var response = await server.Http.PostAsync("api/v2/write?org=o&bucket=b", Text("bad"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("{\"code\":\"invalid\",\"message\":\"unable to parse \\u0027bad\\u0027: missing fields (line 1, column 4)\"}", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("write?db=x", null, HttpStatusCode.Unauthorized)]
    [InlineData("write?db=x&u=me&p=wrong-token", null, HttpStatusCode.Unauthorized)]
    [InlineData("write?db=x&u=me&p=" + Token, null, HttpStatusCode.NoContent)]
    [InlineData("write?db=x", "Token " + Token, HttpStatusCode.NoContent)]
    [InlineData("write?db=x", "Basic bWU6cHVzaC10b2tlbi0x", HttpStatusCode.NoContent)]
    [InlineData("api/v2/write?bucket=b", "Token " + Token, HttpStatusCode.NoContent)]
    [InlineData("api/v2/write?bucket=b", "Token nope-nope-nope", HttpStatusCode.Unauthorized)]
    [InlineData("api/v2/write?bucket=b&p=" + Token, null, HttpStatusCode.Unauthorized)]
    public async Task Write_TokenAuth_StatusAsInflux(string path, string? authorization, HttpStatusCode expected)
    {
        await using var server = await Start(new PushOptions { Tokens = [Token] });
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Text("host,host=h1 cpu_load=1") };
        if (authorization is not null)
        {
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
        }

        using var response = await server.Http.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData("write?db=x")]
    [InlineData("api/v2/write?bucket=b")]
    public async Task Write_NoTokenConfigured_RefusedByDefaultAndNothingMapped(string path)
    {
        await using var server = await Start(new PushOptions());

        using var response = await server.Http.PostAsync(path, Text("host,host=h1 cpu_load=1"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("no Push:Tokens are configured, so no write is accepted", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_sink.Samples);
    }

    [Fact]
    public async Task Write_HostToken_WritesItsOwnHostsOnly_OthersRefusedInAPartialWrite()
    {
        await using var server = await Start(new PushOptions
        {
            Tokens = ["fleet-token-1234"],
            HostTokens = [new HostToken { Token = "h1-token-5678", Hosts = ["h1"] }, new HostToken { Token = "rack-token-9012", Hosts = ["rack7-*"] }],
        });

        async Task<(HttpStatusCode Status, string Body)> WriteAsync(string token, string lines)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "write?db=x&precision=s") { Content = Text(lines) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Token", token);
            using var response = await server.Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, text.Length == 0 ? "" : System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("error").GetString()!);
        }

        var own = await WriteAsync("h1-token-5678", "host,host=h1 cpu_load=0.5 1767225600\n");
        var forged = await WriteAsync("h1-token-5678", "host,host=h1 cpu_load=0.6 1767225660\nhost,host=h2 cpu_load=0.9 1767225660\nhost cpu_load=0.1 1767225660\n");
        var rack = await WriteAsync("rack-token-9012", "host,host=rack7-h3 cpu_load=0.2 1767225600\nhost,host=rack8-h1 cpu_load=0.2 1767225600\n");
        var fleet = await WriteAsync("fleet-token-1234", "host,host=h2 cpu_load=0.3 1767225600\n");

        Assert.Equal(HttpStatusCode.NoContent, own.Status);
        Assert.Equal(HttpStatusCode.BadRequest, forged.Status);
        Assert.Contains("this token may not write host 'h2'", forged.Body, StringComparison.Ordinal);
        Assert.Contains("the line has no host tag", forged.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, rack.Status);
        Assert.Contains("may not write host 'rack8-h1'", rack.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, fleet.Status);
        Assert.Equal([("h1", 0.5), ("h1", 0.6), ("rack7-h3", 0.2), ("h2", 0.3)], _sink.Samples.Select(x => (x.Host, x.Value)));
    }

    [Fact]
    public async Task Write_BodyOverLimit_413()
    {
        await using var server = await Start(new PushOptions { MaxBodyBytes = 4096, AllowAnonymous = true });

        using var response = await server.Http.PostAsync("write?db=x", Text(string.Concat(Enumerable.Repeat("host,host=h1 cpu_load=1\n", 400))));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(_sink.Samples);
    }

    [Fact]
    public async Task Write_GzipBombOverLimitAfterDecompression_413()
    {
        await using var server = await Start(new PushOptions { MaxBodyBytes = 4096, AllowAnonymous = true });

        using var response = await server.Http.PostAsync("write?db=x", Gzip(string.Concat(Enumerable.Repeat("host,host=h1 cpu_load=1\n", 400))));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Write_GzipBody_Decompressed()
    {
        await using var server = await Start(new PushOptions { AllowAnonymous = true });

        using var response = await server.Http.PostAsync("write?db=x", Gzip("host,host=h1 cpu_load=1\nhost,host=h2 cpu_load=2\n"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(["h1", "h2"], _sink.Samples.Select(s => s.Host));
    }

    [Theory]
    [InlineData("write?precision=s", "{\"error\":\"database is required\"}")]
    [InlineData("api/v2/write?org=o", "{\"code\":\"invalid\",\"message\":\"bucket not specified\"}")]
    [InlineData("write?db=x&precision=us", "{\"error\":\"invalid precision \\u0022us\\u0022: expected n, ns, u, ms, s, m or h (InfluxDB 1.x would store it as nanoseconds)\"}")]
    [InlineData("api/v2/write?bucket=b&precision=u", "{\"code\":\"invalid\",\"message\":\"invalid precision \\u0022u\\u0022: expected ns, us, ms or s\"}")]
    public async Task Write_BadParameters_400WithReason(string path, string body)
    {
        await using var server = await Start(new PushOptions { AllowAnonymous = true });
        using var response = await server.Http.PostAsync(path, Text("m v=1"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ping_Get_204WithVersionHeader()
    {
        await using var server = await Start(new PushOptions { AllowAnonymous = true });
        using var response = await server.Http.GetAsync("ping");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(PushEndpoints.Version, response.Headers.GetValues("X-Influxdb-Version").Single());
    }

    [Fact]
    public async Task Write_Forwarding_SpooledWithReceiveTimeStamped()
    {
        using var spool = new DiskSpool(new SpoolOptions { Directory = _spoolDir }, _time);
        await using var server = await Start(new PushOptions { Forward = true, AllowAnonymous = true }, spool);

        using var response = await server.Http.PostAsync("write?db=x&precision=ms", Text("host,host=h1 cpu_load=1   \nhost,host=h1 cpu_load=2 5\nbad\n"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var record = spool.Peek()!;
        Assert.Equal($"host,host=h1 cpu_load=1 {_time.GetUtcNow().ToUnixTimeMilliseconds()}\nhost,host=h1 cpu_load=2 5\n", Encoding.UTF8.GetString(record.Payload));
    }

    [Fact]
    public async Task Write_SpoolFull_503AndOneAlertThenResolvedWhenRoomReturns()
    {
        using var spool = new DiskSpool(new SpoolOptions { Directory = _spoolDir, MaxBytes = 1 << 20, SegmentBytes = 1 << 20 }, _time);
        await using var server = await Start(new PushOptions { Forward = true, AllowAnonymous = true }, spool);
        var line = "host,host=h1 cpu_load=1 1\n";
        var batch = string.Concat(Enumerable.Repeat(line, 250_000 / line.Length));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var r = await server.Http.PostAsync("write?db=x", Text(batch));
            statuses.Add(r.StatusCode);
        }

        Assert.Equal([HttpStatusCode.NoContent, HttpStatusCode.NoContent, HttpStatusCode.NoContent, HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable], statuses);
        var alert = Assert.Single(_alerts.Published);
        Assert.Equal((AlertConditions.SpoolFull, AlertSeverity.Critical, false), (alert.Condition, alert.Severity, alert.Resolved));

        spool.Acknowledge(spool.Peek()!);
        using var after = await server.Http.PostAsync("write?db=x", Text(batch));

        Assert.Equal(HttpStatusCode.NoContent, after.StatusCode);
        Assert.Equal([false, true], _alerts.Published.Select(a => a.Resolved));
    }

    [Fact]
    public async Task Write_ErrorTextNotAscii_400WithTheTextInTheBodyAnEscapedHeaderAndTheGoodLineSpooledOnce()
    {
        // Kestrel refuses a non-ASCII header: the answer was 500 with no body after the good line was spooled, and the
        // writer's retry spooled it again
        using var spool = new DiskSpool(new SpoolOptions { Directory = _spoolDir }, _time);
        await using var server = await Start(new PushOptions { Forward = true, AllowAnonymous = true }, spool);

        using var response = await server.Http.PostAsync("write?db=x", Text("température,hôte=é v=abc 1\ncpu v=1 2\n"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("température,hôte=é v=abc", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("partial write: unable to parse 'temp\\u00e9rature,h\\u00f4te=\\u00e9 v=abc 1'", response.Headers.GetValues("X-Influxdb-Error").Single(), StringComparison.Ordinal);
        Assert.Equal("cpu v=1 2\n", Encoding.UTF8.GetString(spool.Peek()!.Payload));
        spool.Acknowledge(spool.Peek()!);
        Assert.Null(spool.Peek());
    }

    [Fact]
    public void HeaderSafe_LongMultiLineText_PrintableAsciiCutAt1024() =>
        Assert.Equal("a b c\\u0001" + new string('x', 1024 - 11), PushEndpoints.HeaderSafe("a\nb\rc\u0001" + new string('x', 2000)));

    [Theory]
    [InlineData("cpu,time=a v=1 1", "invalid tag key: input tag \"time\" on measurement \"cpu\" is invalid (InfluxDB refuses it)")]
    [InlineData("cpu time=1 1", "invalid field name: input field \"time\" on measurement \"cpu\" is invalid (InfluxDB refuses a point whose only field is time)")]
    [InlineData("cpu a=1,a=\"x\" 1", "field type conflict: input field \"a\" on measurement \"cpu\" is both float and string in one point")]
    [InlineData("cpu v=1u 1", "unsigned integer '1u' for field 'v' is not accepted: InfluxDB 1.x stores no unsigned integers (write 1i)")]
    public async Task Write_LineInfluxRefusesWhenStoring_RefusedBeforeTheAnswer(string line, string reason)
    {
        await using var server = await Start(new PushOptions { AllowAnonymous = true });

        using var response = await server.Http.PostAsync("write?db=x", Text(line + "\nhost,host=h1 cpu_load=1 1\n"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Single(_sink.Samples);
    }

    [Fact]
    public async Task Write_TimeFieldBesideOthers_AcceptedAndTheTimeFieldIgnoredAsInflux()
    {
        await using var server = await Start(new PushOptions { AllowAnonymous = true });

        using var response = await server.Http.PostAsync("write?db=x&precision=s", Text("host,host=h1 time=5,cpu_load=0.5 1767225600\n"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(SignalNames.CpuLoad, Assert.Single(_sink.Samples).Signal);
    }

    [Fact]
    public async Task Write_UnsignedWhenConfigured_Accepted()
    {
        await using var server = await Start(new PushOptions { AllowAnonymous = true, UnsignedIntegers = true });

        using var response = await server.Http.PostAsync("write?db=x&precision=s", Text("host,host=h1 mce_total=3u 1767225600\n"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(3, Assert.Single(_sink.Samples).Value);
    }

    [Theory]
    [InlineData("write?db=x&precision=u", TimestampPrecision.Microseconds)]
    [InlineData("write?db=x&precision=m", TimestampPrecision.Minutes)]
    [InlineData("write?db=x&precision=h", TimestampPrecision.Hours)]
    [InlineData("api/v2/write?bucket=x&precision=us", TimestampPrecision.Microseconds)]
    public async Task Write_Precision_SpooledWithIt(string path, TimestampPrecision expected)
    {
        using var spool = new DiskSpool(new SpoolOptions { Directory = _spoolDir }, _time);
        await using var server = await Start(new PushOptions { Forward = true, AllowAnonymous = true }, spool);

        using var response = await server.Http.PostAsync(path, Text("host,host=h1 cpu_load=1 490000\n"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(expected, spool.Peek()!.Precision);
    }

    private Task<PushServer> Start(PushOptions options, DiskSpool? spool = null) =>
        PushServer.StartAsync(new InfluxPushHandler(options, new SignalMapper(new SignalMappingOptions(), _sink), spool, _alerts, _time));

    private static StringContent Text(string text) => new(text, Encoding.UTF8, "text/plain");

    private static ByteArrayContent Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gz = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gz.Write(Encoding.UTF8.GetBytes(text));
        }

        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentEncoding.Add("gzip");
        return content;
    }
}
