using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Predictor.Core.Configuration;
using Predictor.Core.Telemetry;
using Predictor.Daemon.Composition;
using Predictor.Daemon.Telemetry;
using Predictor.Telemetry.Influx;
using Predictor.Telemetry.LineProtocol;
using Predictor.Telemetry.Mapping;
using Predictor.Telemetry.Push;
using Predictor.Telemetry.Scrape;
using Predictor.Telemetry.Spool;
using Predictor.Testing.Telemetry;

namespace Predictor.Daemon.Tests.Telemetry;

/// <summary>The sample configurations in deploy/telemetry bind, validate, and map what the tools they describe send.</summary>
public sealed class DeploySamplesTests
{
    private static readonly string s_directory = Path.Combine(RepositoryRoot(), "deploy", "telemetry");

    [Theory]
    [InlineData("push.json", TelemetrySourceKind.Push)]
    [InlineData("pull-influxdb.json", TelemetrySourceKind.Pull)]
    [InlineData("scrape-node-exporter.json", TelemetrySourceKind.Scrape)]
    [InlineData("simulator-to-influxdb.json", TelemetrySourceKind.Pull)]
    public void Sample_Bound_ValidWithItsSource(string file, TelemetrySourceKind source)
    {
        var configuration = Load(file);
        var telemetry = Bind<TelemetrySettings>(configuration);

        var errors = CrossSectionValidator.TelemetryErrors(telemetry, Bind<SimulationEmitSettings>(configuration), Bind<PushOptions>(configuration), Bind<ScrapeOptions>(configuration))
            .Concat(Failures(new PushOptionsValidator(), Bind<PushOptions>(configuration)))
            .Concat(Failures(new SpoolOptionsValidator(), Bind<SpoolOptions>(configuration)))
            .Concat(Failures(new InfluxOptionsValidator(), Bind<InfluxOptions>(configuration)))
            .Concat(Failures(new InfluxPullOptionsValidator(), Bind<InfluxPullOptions>(configuration)))
            .Concat(Failures(new ScrapeOptionsValidator(), Bind<ScrapeOptions>(configuration)))
            .Concat(Failures(new SignalMappingOptionsValidator(), Bind<SignalMappingOptions>(configuration)));

        Assert.Equal(source, telemetry.Source);
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("push.json")]
    [InlineData("pull-influxdb.json")]
    public void TelegrafMapping_HardwareInputs_MappedToSignals(string file)
    {
        var sink = new CollectingSink();
        var mapper = new SignalMapper(Bind<SignalMappingOptions>(Load(file)), sink);
        var lines = Encoding.UTF8.GetBytes(
            "smart_attribute,host=h1,device=sda,id=5,name=Reallocated_Sector_Ct,fail=false raw_value=12i,value=100i,worst=100i 1767225600\n" +
            "smart_device,host=h1,device=sdb,model=X temp_c=33i 1767225600\n" +
            "ras,host=h1,socket_id=0 memory_read_corrected_errors=4i,memory_read_uncorrectable_errors=0i,processor_base_errors=1i 1767225600\n" +
            "sensors,host=h1,chip=coretemp-isa-0000,feature=package_id_0 temp_input=52.5,temp_crit=100 1767225600\n" +
            "sensors,host=h1,chip=nct6779-isa-0a30,feature=fan2 fan_input=1200 1767225600\n" +
            "ipmi_sensor,host=h1,name=fan_1,unit=rpm,status_code=ok value=8100 1767225600\n" +
            "ipmi_sensor,host=h1,name=inlet_temp,unit=degrees_c value=22 1767225600\n" +
            "net,host=h1,interface=eth0 err_in=3i,err_out=0i 1767225600\n" +
            "cpu,host=h1,cpu=cpu-total usage_user=41.5,usage_system=3 1767225600\n" +
            "psu,host=h1,psu=1 psu_ok=1i 1767225600\n");

        var reader = new LineProtocolReader(lines, TimestampPrecision.Seconds);
        while (reader.Read() is var result && result != LineReadResult.End)
        {
            Assert.Equal(LineReadResult.Point, result);
            mapper.Map(ref reader, DateTimeOffset.UnixEpoch);
        }

        var t = DateTimeOffset.FromUnixTimeSeconds(1767225600);
        Assert.Equal(
            [
                new("h1", SignalNames.SmartReallocatedSectors, "sda", t, 12),
                new("h1", SignalNames.SmartTemperature, "sdb", t, 33),
                new("h1", SignalNames.MemoryCorrectableTotal, "0", t, 4),
                new("h1", SignalNames.MemoryUncorrectableTotal, "0", t, 0),
                new("h1", SignalNames.MachineChecksTotal, "0", t, 1),
                new("h1", SignalNames.CpuTemperature, "coretemp-isa-0000", t, 52.5),
                new("h1", SignalNames.FanSpeed, "fan2", t, 1200),
                new("h1", SignalNames.FanSpeed, "fan_1", t, 8100),
                new("h1", SignalNames.InletTemperature, null, t, 22),
                new("h1", SignalNames.NicErrorsTotal, "eth0", t, 3),
                new("h1", SignalNames.CpuLoad, null, t, 41.5 * 0.01), // the rule's Scale, applied as the mapper does
                new TelemetrySample("h1", SignalNames.PsuOk, "1", t, 1),
            ],
            sink.Samples);
    }

    [Fact]
    public void ScrapeSample_Rules_AddedToTheDefaults()
    {
        var scrape = Bind<ScrapeOptions>(Load("scrape-node-exporter.json"));

        Assert.Equal(ScrapeOptions.DefaultRules().Count + 4, scrape.Rules.Count);
        Assert.Equal(["host-0001", "host-0002"], scrape.Targets.Select(t => t.Host));
    }

    private static IConfiguration Load(string file) => new ConfigurationBuilder().AddJsonFile(Path.Combine(s_directory, file), optional: false).Build();

    private static T Bind<T>(IConfiguration configuration)
        where T : new()
    {
        var value = new T();
        configuration.GetSection(OptionsSectionAttribute.Of(typeof(T))).Bind(value);
        return value;
    }

    private static IEnumerable<string> Failures<T>(IValidateOptions<T> validator, T options)
        where T : class => validator.Validate(null, options).Failures ?? [];

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Predictor.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"Predictor.sln not found above {AppContext.BaseDirectory}");
    }
}
