using System.Net;
using Predictor.Telemetry.Influx;
using Predictor.Telemetry.LineProtocol;

namespace Predictor.IntegrationTests.Influx;

[Collection(InfluxdCollection.Name)]
public sealed class InfluxClientTests(InfluxdFixture influxd)
{
    [Fact]
    public async Task PingAsync_RealServer_ReturnsVersion()
    {
        var client = await influxd.CreateClientAsync("ping_db");
        Assert.StartsWith("1.", await client.PingAsync(CancellationToken.None), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task WriteAsync_GzipOrPlainInBatches_EveryPointQueryableWithExactValues(bool gzip)
    {
        var db = gzip ? "write_gzip" : "write_plain";
        var client = await influxd.CreateClientAsync(db, o =>
        {
            o.Gzip = gzip;
            o.BatchLines = 3;
            o.Precision = TimestampPrecision.Seconds;
        });
        var lines = string.Concat(Enumerable.Range(0, 10).Select(i => $"smart,host=h{i:D4},disk=sda smart_5_raw={i}i,temp={20 + i * 0.5} {1767225600 + i}\n"));

        await client.WriteAsync(InfluxdFixture.Utf8(lines), CancellationToken.None);

        var rows = await QueryRowsAsync(client, "SELECT host, smart_5_raw, temp FROM smart ORDER BY time");
        Assert.Equal(10, rows.Count);
        Assert.Equal([1767225600L * 1_000_000_000, "h0000", 0L, 20L], rows[0]); // 20.0 arrives as a JSON integer
        Assert.Equal([1767225609L * 1_000_000_000, "h0009", 9L, 24.5], rows[9]);
    }

    [Fact]
    public async Task QueryAsync_SmallChunkSize_YieldsSeveralChunksWithAllRows()
    {
        var client = await influxd.CreateClientAsync("chunked", o => o.QueryChunkSize = 2);
        await client.WriteAsync(InfluxdFixture.Utf8(string.Concat(Enumerable.Range(1, 5).Select(i => $"fan,host=h1 fan_rpm={i * 1000} {i}\n"))), CancellationToken.None);

        var chunks = new List<InfluxSeries>();
        await foreach (var s in client.QueryAsync("SELECT fan_rpm FROM fan", CancellationToken.None))
        {
            chunks.Add(s);
        }

        Assert.True(chunks.Count >= 3, $"expected chunks of 2 rows, got {chunks.Count}");
        Assert.Equal([1000L, 2000L, 3000L, 4000L, 5000L], chunks.SelectMany(c => c.Values).Select(r => r[1]));
    }

    [Fact]
    public async Task WriteAsync_RetentionPolicy_PointsLandInThatPolicy()
    {
        var client = await influxd.CreateClientAsync("with_rp", o => o.RetentionPolicy = "week");
        await client.ExecuteAsync("CREATE RETENTION POLICY \"week\" ON \"with_rp\" DURATION 7d REPLICATION 1", CancellationToken.None);

        await client.WriteAsync(InfluxdFixture.Utf8("psu,host=h1,psu=1 psu_ok=1i\n"), CancellationToken.None);

        Assert.Single(await QueryRowsAsync(client, "SELECT psu_ok FROM \"week\".psu"));
        Assert.Empty(await QueryRowsAsync(client, "SELECT psu_ok FROM \"autogen\".psu"));
    }

    [Fact]
    public async Task WriteAsync_BatchWithMalformedLine_PartialWriteKeepsValidLines()
    {
        var client = await influxd.CreateClientAsync("partial", o => o.Gzip = false);

        var ex = await Assert.ThrowsAsync<InfluxException>(() =>
            client.WriteAsync(InfluxdFixture.Utf8("cpu,host=a v=1 1\ncpu,host=b v= 2\ncpu,host=c v=3 3\n"), CancellationToken.None));

        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.True(ex.IsPartialWrite, ex.Message);
        Assert.False(ex.IsTransient);
        Assert.Equal(2, (await QueryRowsAsync(client, "SELECT v FROM cpu")).Count);
    }

    [Fact]
    public async Task WriteAsync_WrongPassword_Fails401WithoutRetry()
    {
        await influxd.CreateClientAsync("auth_db");
        var client = new InfluxClient(influxd.Http, new InfluxOptions { BaseAddress = influxd.BaseAddress, Database = "auth_db", Username = InfluxdFixture.AdminUser, Password = "wrong" }, TimeProvider.System);

        var ex = await Assert.ThrowsAsync<InfluxException>(() => client.WriteAsync(InfluxdFixture.Utf8("m v=1\n"), CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.Contains("authorization failed", ex.ServerError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryAsync_NoCredentials_Fails401()
    {
        var client = new InfluxClient(influxd.Http, new InfluxOptions { BaseAddress = influxd.BaseAddress, Database = "auth_db" }, TimeProvider.System);
        var ex = await Assert.ThrowsAsync<InfluxException>(async () =>
        {
            await foreach (var _ in client.QueryAsync("SHOW MEASUREMENTS", CancellationToken.None))
            {
            }
        });
        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
    }

    [Fact]
    public async Task QueryAsync_BadStatement_ThrowsServerError()
    {
        var client = await influxd.CreateClientAsync("bad_query");
        var ex = await Assert.ThrowsAsync<InfluxException>(async () =>
        {
            await foreach (var _ in client.QueryAsync("SELEKT nothing", CancellationToken.None))
            {
            }
        });
        Assert.Contains("error parsing query", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_ServerDown_RetriesThenThrowsTransient()
    {
        var closedPort = ServerProcess.FreeLoopbackPort();
        var client = new InfluxClient(influxd.Http, new InfluxOptions { BaseAddress = new Uri($"http://127.0.0.1:{closedPort}/"), MaxRetries = 2, RetryDelay = TimeSpan.FromMilliseconds(10) }, TimeProvider.System);

        var ex = await Assert.ThrowsAsync<InfluxException>(() => client.WriteAsync(InfluxdFixture.Utf8("m v=1\n"), CancellationToken.None));

        Assert.True(ex.IsTransient);
        Assert.IsType<HttpRequestException>(ex.InnerException);
    }

    internal static async Task<List<object?[]>> QueryRowsAsync(InfluxClient client, string query)
    {
        var rows = new List<object?[]>();
        await foreach (var s in client.QueryAsync(query, CancellationToken.None))
        {
            rows.AddRange(s.Values.Select(v => v.ToArray()));
        }

        return rows;
    }
}
