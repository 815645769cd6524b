using System.Collections.Frozen;
using Predictor.Core.Telemetry;

namespace Predictor.Simulation.Output;

/// <summary>Where one signal goes in line protocol: its measurement, the tag naming its component, and the field type.</summary>
/// <param name="Measurement">Line-protocol measurement.</param>
/// <param name="ComponentTag">Tag key carrying the sample's Component (disk, dimm, fan, psu, nic); null for host-wide signals.</param>
/// <param name="Integer">True for counters, SMART raw values and states, written as integers (<c>5i</c>).</param>
public sealed record TelemetryMeasurement(string Measurement, string? ComponentTag, bool Integer);

/// <summary>
/// The line-protocol layout of simulated telemetry (tag <c>host</c> on every line):
/// <c>smart,host=…,disk=sda smart_5_raw=0i,smart_187_raw=0i,smart_188_raw=0i,smart_194_raw=31i,smart_197_raw=0i,smart_198_raw=0i,smart_9_raw=28123i</c>,
/// <c>memory,host=…,dimm=A3 mem_ce_total=0i</c>,
/// <c>host,host=… mem_ue_total=0i,mce_total=0i,cpu_temp_c=61.2,inlet_temp_c=22.4,cpu_load=0.412</c>,
/// <c>fan,host=…,fan=2 fan_rpm=8120</c>, <c>psu,host=…,psu=1 psu_ok=1i</c>, <c>nic,host=…,nic=eth0 nic_errors_total=0i</c>.
/// </summary>
public static class TelemetryMeasurements
{
    private static readonly FrozenDictionary<string, TelemetryMeasurement> s_bySignal = new Dictionary<string, TelemetryMeasurement>(StringComparer.Ordinal)
    {
        [SignalNames.SmartReallocatedSectors] = new("smart", "disk", true),
        [SignalNames.SmartReportedUncorrectable] = new("smart", "disk", true),
        [SignalNames.SmartCommandTimeout] = new("smart", "disk", true),
        [SignalNames.SmartTemperature] = new("smart", "disk", true),
        [SignalNames.SmartPendingSectors] = new("smart", "disk", true),
        [SignalNames.SmartOfflineUncorrectable] = new("smart", "disk", true),
        [SignalNames.SmartPowerOnHours] = new("smart", "disk", true),
        [SignalNames.MemoryCorrectableTotal] = new("memory", "dimm", true),
        [SignalNames.MemoryUncorrectableTotal] = new("host", null, true),
        [SignalNames.MachineChecksTotal] = new("host", null, true),
        [SignalNames.CpuTemperature] = new("host", null, false),
        [SignalNames.InletTemperature] = new("host", null, false),
        [SignalNames.CpuLoad] = new("host", null, false),
        [SignalNames.FanSpeed] = new("fan", "fan", false),
        [SignalNames.PsuOk] = new("psu", "psu", true),
        [SignalNames.NicErrorsTotal] = new("nic", "nic", true),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every signal the simulator emits and where it goes.</summary>
    public static IReadOnlyDictionary<string, TelemetryMeasurement> BySignal => s_bySignal;

    /// <exception cref="ArgumentException">The signal is not one the simulator writes.</exception>
    public static TelemetryMeasurement Of(string signal) =>
        s_bySignal.TryGetValue(signal, out var m) ? m : throw new ArgumentException($"Signal '{signal}' has no line-protocol measurement.", nameof(signal));
}
