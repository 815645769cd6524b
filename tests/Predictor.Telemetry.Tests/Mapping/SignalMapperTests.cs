using System.Text;
using Predictor.Core.Telemetry;
using Predictor.Telemetry.LineProtocol;
using Predictor.Telemetry.Mapping;
using Predictor.Testing.Telemetry;

namespace Predictor.Telemetry.Tests.Mapping;

public sealed class SignalMapperTests
{
    private static readonly DateTimeOffset Received = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(1767225600);

    [Fact]
    public void Map_SimulatorLayout_DefaultMappingTakesFieldNamesHostAndComponent()
    {
        var sink = new CollectingSink();
        var mapper = new SignalMapper(new SignalMappingOptions(), sink);

        MapAll(mapper, """
            smart,host=h0001,disk=sda smart_5_raw=2i,smart_197_raw=0i 1767225600
            memory,host=h0001,dimm=A1 mem_ce_total=17i 1767225600
            fan,host=h0001,fan=1 fan_rpm=5400.5 1767225600
            psu,host=h0001,psu=1 psu_ok=1i 1767225600
            thermal,host=h0001 cpu_temp_c=61.5,inlet_temp_c=22 1767225600
            nic,host=h0001,nic=eth0 nic_errors_total=3i 1767225600
            host,host=h0001 cpu_load=0.25,mce_total=1i,mem_ue_total=0i 1767225600
            """);

        Assert.Equal(
            [
                new TelemetrySample("h0001", SignalNames.SmartReallocatedSectors, "sda", T0, 2),
                new TelemetrySample("h0001", SignalNames.SmartPendingSectors, "sda", T0, 0),
                new TelemetrySample("h0001", SignalNames.MemoryCorrectableTotal, "A1", T0, 17),
                new TelemetrySample("h0001", SignalNames.FanSpeed, "1", T0, 5400.5),
                new TelemetrySample("h0001", SignalNames.PsuOk, "1", T0, 1),
                new TelemetrySample("h0001", SignalNames.CpuTemperature, null, T0, 61.5),
                new TelemetrySample("h0001", SignalNames.InletTemperature, null, T0, 22),
                new TelemetrySample("h0001", SignalNames.NicErrorsTotal, "eth0", T0, 3),
                new TelemetrySample("h0001", SignalNames.CpuLoad, null, T0, 0.25),
                new TelemetrySample("h0001", SignalNames.MachineChecksTotal, null, T0, 1),
                new TelemetrySample("h0001", SignalNames.MemoryUncorrectableTotal, null, T0, 0),
            ],
            sink.Samples);
        Assert.Equal(11, mapper.Report().Mapped);
    }

    [Fact]
    public void Map_ExplicitRuleWithTagFilterAndScale_WinsOverDefault()
    {
        var sink = new CollectingSink();
        var options = new SignalMappingOptions
        {
            Rules =
            [
                new SignalRuleOptions { Measurement = "ipmi", Field = "value", Signal = SignalNames.InletTemperature, Tags = { ["sensor"] = "inlet" }, Scale = 0.001, ComponentTag = "none" },
            ],
        };
        var mapper = new SignalMapper(options, sink);

        MapAll(mapper, "ipmi,host=h2,sensor=inlet value=23500 1767225600\nipmi,host=h2,sensor=exhaust value=40000 1767225600\n");

        Assert.Equal([new TelemetrySample("h2", SignalNames.InletTemperature, null, T0, 23.5)], sink.Samples);
        var report = mapper.Report();
        Assert.Equal(1, report.Unmapped);
        Assert.Equal(1, report.UnmappedFields["ipmi.value"]);
    }

    [Fact]
    public void Map_UnknownHostsMissingHostTagAndStrings_CountedAndReported()
    {
        var sink = new CollectingSink();
        var mapper = new SignalMapper(new SignalMappingOptions(), sink, new HashSet<string> { "h1" });

        MapAll(mapper, """
            host,host=h1 cpu_load=0.5,mce_total="many",uptime=5i
            host,host=stranger cpu_load=0.5,mce_total=1i
            host,rack=r1 cpu_load=0.5
            """);

        Assert.Single(sink.Samples);
        var report = mapper.Report();
        Assert.Equal((1L, 1L, 2L, 1L, 1L), (report.Mapped, report.Unmapped, report.UnknownHost, report.MissingHostTag, report.NonNumeric));
        Assert.Equal(2, report.UnknownHosts["stranger"]);
        Assert.Equal(1, report.UnmappedFields["host.uptime"]);
    }

    [Fact]
    public void Map_NoTimestamp_UsesReceiveTime()
    {
        var sink = new CollectingSink();
        MapAll(new SignalMapper(new SignalMappingOptions(), sink), "t,host=h1 cpu_temp_c=50");
        Assert.Equal(Received, Assert.Single(sink.Samples).Time);
    }

    [Fact]
    public void Map_StringTagsPath_SameRulesApply()
    {
        var sink = new CollectingSink();
        var mapper = new SignalMapper(new SignalMappingOptions(), sink);

        Assert.True(mapper.Map("node_hwmon", new Dictionary<string, string> { ["host"] = "h3", ["fan"] = "2" }, SignalNames.FanSpeed, 3000, T0));
        Assert.False(mapper.Map("node_hwmon", new Dictionary<string, string> { ["host"] = "h3" }, "node_load1", 1, T0));

        Assert.Equal([new TelemetrySample("h3", SignalNames.FanSpeed, "2", T0, 3000)], sink.Samples);
    }

    [Fact]
    public void Constructor_InvalidRules_ReportsEveryProblem()
    {
        var options = new SignalMappingOptions { HostTag = "", Rules = [new SignalRuleOptions { Field = "", Signal = "", Scale = 0 }] };
        var ex = Assert.Throws<ArgumentException>(() => new SignalMapper(options, new CollectingSink()));
        Assert.Equal(
            "SignalMapping:HostTag: empty (got ''; expected a tag name). SignalMapping:Rules:0:Field: empty (got ''; expected a field or metric name). " +
            "SignalMapping:Rules:0:Signal: empty (got ''; expected a signal name). SignalMapping:Rules:0:Scale: out of range (got 0; expected a finite, non-zero number). (Parameter 'options')",
            ex.Message);
    }

    [Fact]
    public void Map_RepeatedLinesAcrossMappers_KeyCacheKeepsEachMappersRulesAndCounts()
    {
        var plainSink = new CollectingSink();
        var ruledSink = new CollectingSink();
        var plain = new SignalMapper(new SignalMappingOptions(), plainSink);
        var ruled = new SignalMapper(new SignalMappingOptions { FieldNameIsSignal = false, Rules = [new SignalRuleOptions { Field = "fan_rpm", Signal = SignalNames.FanSpeed, Scale = 2 }] }, ruledSink);
        const string lines = "fan,host=h1,fan=1 fan_rpm=100,extra=1 1\nfan,host=h1,fan=1 fan_rpm=200,extra=2 2\n";

        MapAll(plain, lines);
        MapAll(ruled, lines);
        MapAll(plain, lines);

        Assert.Equal([100.0, 200, 100, 200], plainSink.Samples.Select(s => s.Value));
        Assert.Equal([200.0, 400], ruledSink.Samples.Select(s => s.Value));
        Assert.Equal((4L, 4L), (plain.Report().Mapped, plain.Report().Unmapped));
        Assert.Equal((2L, 2L), (ruled.Report().Mapped, ruled.Report().Unmapped));
    }

    private static void MapAll(SignalMapper mapper, string text)
    {
        var reader = new LineProtocolReader(Encoding.UTF8.GetBytes(text), TimestampPrecision.Seconds);
        while (reader.Read() == LineReadResult.Point)
        {
            mapper.Map(ref reader, Received);
        }
    }
}
