using Predictor.Core.Telemetry;
using Predictor.Telemetry.Influx;
using Predictor.Telemetry.Mapping;
using Predictor.Testing;
using Predictor.Testing.Telemetry;

namespace Predictor.IntegrationTests.Influx;

[Collection(InfluxdCollection.Name)]
public sealed class InfluxPullSourceTests(InfluxdFixture influxd)
{
    [Fact]
    public async Task PullOnceAsync_NewPointsOnly_MappedOnceWithTagsAndTime()
    {
        var time = new ManualTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1767225600 + 600));
        var client = await influxd.CreateClientAsync("pull", o => o.Precision = Predictor.Telemetry.LineProtocol.TimestampPrecision.Seconds);
        await client.WriteAsync(InfluxdFixture.Utf8(
            "smart,host=h1,disk=sda smart_5_raw=4i 1767225600\n" +
            "thermal,host=h1 cpu_temp_c=55.5,model=\"x\" 1767225660\n" +
            "old,host=h1 cpu_load=0.1 1767000000\n"), CancellationToken.None);
        var sink = new CollectingSink();
        var mapper = new SignalMapper(new SignalMappingOptions(), sink);
        var pull = new InfluxPullSource(client, mapper, new InfluxPullOptions { InitialLookback = TimeSpan.FromHours(1) }, time);

        var first = await pull.PullOnceAsync(CancellationToken.None);
        await client.WriteAsync(InfluxdFixture.Utf8("thermal,host=h1 cpu_temp_c=56 1767225720\n"), CancellationToken.None);
        var second = await pull.PullOnceAsync(CancellationToken.None);
        var third = await pull.PullOnceAsync(CancellationToken.None);

        Assert.Equal((2, 1, 0), (first, second, third));
        Assert.Equal(
            [
                new TelemetrySample("h1", SignalNames.SmartReallocatedSectors, "sda", DateTimeOffset.FromUnixTimeSeconds(1767225600), 4),
                new TelemetrySample("h1", SignalNames.CpuTemperature, null, DateTimeOffset.FromUnixTimeSeconds(1767225660), 55.5),
                new TelemetrySample("h1", SignalNames.CpuTemperature, null, DateTimeOffset.FromUnixTimeSeconds(1767225720), 56),
            ],
            sink.Samples.OrderBy(s => s.Time));
    }
}
