using System.IO.Compression;
using System.Net;
using System.Text;
using Predictor.Core.Configuration;
using Predictor.Telemetry.Influx;

namespace Predictor.Telemetry.Tests.Influx;

public sealed class InfluxClientResilienceTests
{
    [Fact]
    public async Task WriteAsync_TwoServiceUnavailable_RetriesAndSucceedsOnThird()
    {
        var handler = new ScriptedHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.NoContent);
        var client = Client(handler, o => o.MaxRetries = 3);

        await client.WriteAsync("m v=1\n"u8.ToArray(), CancellationToken.None);

        Assert.Equal(3, handler.Requests.Count);
        Assert.All(handler.Requests, r => Assert.Equal("m v=1\n", r.Body));
    }

    [Fact]
    public async Task WriteAsync_BadRequest_NotRetried()
    {
        var handler = new ScriptedHandler(HttpStatusCode.BadRequest);
        var client = Client(handler, o => o.MaxRetries = 3);

        var ex = await Assert.ThrowsAsync<InfluxException>(() => client.WriteAsync("m v=\n"u8.ToArray(), CancellationToken.None));

        Assert.Single(handler.Requests);
        Assert.Equal("partial write: bad", ex.ServerError);
        Assert.True(ex.IsPartialWrite);
    }

    [Fact]
    public async Task WriteAsync_ManyLines_SplitIntoBatchesWithQueryParameters()
    {
        var handler = new ScriptedHandler(HttpStatusCode.NoContent, HttpStatusCode.NoContent, HttpStatusCode.NoContent);
        var client = Client(handler, o =>
        {
            o.BatchLines = 2;
            o.RetentionPolicy = "one week";
            o.Precision = Telemetry.LineProtocol.TimestampPrecision.Milliseconds;
            o.Token = "tok";
        });

        await client.WriteAsync("a v=1\nb s=\"x\ny\"\nc v=3\nd v=4\ne v=5"u8.ToArray(), CancellationToken.None);

        Assert.Equal(["a v=1\nb s=\"x\ny\"\n", "c v=3\nd v=4\n", "e v=5"], handler.Requests.Select(r => r.Body));
        Assert.Equal("/write?db=telemetry&precision=ms&rp=one%20week", handler.Requests[0].PathAndQuery);
        Assert.Equal("Token tok", handler.Requests[0].Authorization);
    }

    [Fact]
    public void Validate_SeveralProblems_AllReportedAtOnce()
    {
        var errors = OptionsGuard.Errors(new InfluxOptions { Database = "", Token = "t", Username = "u", BatchLines = 0, MaxRetries = -1 });

        Assert.Equal(
            [
                "Influx:Database: empty (got ''; expected a database name).",
                "Influx:BatchLines: out of range (got 0; expected 1 to 1000000).",
                "Influx:MaxRetries: out of range (got -1; expected 0 to 20).",
                "Influx:Token: exclusive with Influx:Username and Influx:Password (expected one way to authenticate).",
                "Influx:Password: missing (expected Influx:Username and Influx:Password set together).",
            ],
            errors);
    }

    private static InfluxClient Client(ScriptedHandler handler, Action<InfluxOptions> configure)
    {
        var options = new InfluxOptions { RetryDelay = TimeSpan.FromMilliseconds(1), Gzip = true };
        configure(options);
        return new InfluxClient(new HttpClient(handler), options, TimeProvider.System);
    }

    private sealed class ScriptedHandler(params HttpStatusCode[] script) : HttpMessageHandler
    {
        public List<(string PathAndQuery, string Body, string? Authorization)> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var raw = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
            var body = request.Content.Headers.ContentEncoding.Contains("gzip")
                ? Encoding.UTF8.GetString(Gunzip(raw))
                : Encoding.UTF8.GetString(raw);
            Requests.Add((request.RequestUri!.PathAndQuery, body, request.Headers.Authorization?.ToString()));
            var status = script[Requests.Count - 1];
            var response = new HttpResponseMessage(status);
            if (status == HttpStatusCode.BadRequest)
            {
                response.Content = new StringContent("{\"error\":\"partial write: bad\"}");
            }

            return response;
        }

        private static byte[] Gunzip(byte[] data)
        {
            using var input = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
            using var output = new MemoryStream();
            input.CopyTo(output);
            return output.ToArray();
        }
    }
}
