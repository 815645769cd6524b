using System.ComponentModel.DataAnnotations;
using Predictor.Core.Configuration;
using Predictor.Core.Telemetry;

namespace Predictor.Telemetry.Scrape;

/// <summary>One node_exporter to scrape and the host id its samples belong to.</summary>
public sealed class ScrapeTarget
{
    public string Host { get; set; } = "";

    /// <summary>The metrics address, e.g. <c>http://10.0.0.5:9100/metrics</c>.</summary>
    public Uri? Url { get; set; }
}

/// <summary>A metric family mapped to a signal: labels matching <see cref="LabelPatterns"/> (regular expressions, anchored), component from <see cref="ComponentLabels"/> joined with '/'.</summary>
public sealed class ScrapeRuleOptions
{
    public string Metric { get; set; } = "";

    public string Signal { get; set; } = "";

    /// <value>The default value is empty.</value>
    public List<string> ComponentLabels { get; set; } = [];

    /// <value>The default value is empty (every sample of the family).</value>
    public Dictionary<string, string> LabelPatterns { get; set; } = [];
}

/// <summary>Periodic node_exporter scrapes.</summary>
[OptionsSection("Scrape")]
public sealed class ScrapeOptions : IValidatableObject
{
    /// <value>The default value is empty.</value>
    public List<ScrapeTarget> Targets { get; set; } = [];

    /// <value>The default value is 60 seconds.</value>
    [InRange(typeof(TimeSpan), "00:00:01", InRangeAttribute.Unbounded)]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Time allowed for one scrape attempt (one retry follows a connection failure or timeout).</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Metric families mapped to signals. The default covers node_exporter's hwmon (CPU temperatures from
    /// coretemp/k10temp chips, fan speeds), EDAC (correctable and uncorrectable errors per memory controller)
    /// and the smartmon textfile collector's SMART raw values. Besides these, a family named exactly like a
    /// signal (written by a textfile collector) maps to it, with the component from a <c>disk</c>, <c>dimm</c>,
    /// <c>fan</c>, <c>psu</c>, <c>nic</c> or <c>sensor</c> label.
    /// </summary>
    public List<ScrapeRuleOptions> Rules { get; set; } = DefaultRules();

    /// <summary>The rules no attribute states: complete targets and rules, and a timeout within the interval.</summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Targets.Count; i++)
        {
            var at = FormattableString.Invariant($"Scrape:Targets:{i}");
            if (string.IsNullOrWhiteSpace(Targets[i].Host))
            {
                yield return OptionsError.Invalid($"{at}:Host", "empty", Targets[i].Host, "a host id");
            }

            if (Targets[i].Url is not { IsAbsoluteUri: true, Scheme: "http" or "https" })
            {
                yield return OptionsError.Invalid($"{at}:Url", "not an http address", Targets[i].Url, "an absolute http or https address");
            }
        }

        if (Timeout <= TimeSpan.Zero || Timeout > Interval)
        {
            yield return OptionsError.Invalid("Scrape:Timeout", "out of range", Timeout, FormattableString.Invariant($"more than 00:00:00 and at most Scrape:Interval ({Interval})"));
        }

        for (var i = 0; i < Rules.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Rules[i].Metric) || string.IsNullOrWhiteSpace(Rules[i].Signal))
            {
                yield return OptionsError.Problem(FormattableString.Invariant($"Scrape:Rules:{i}"), "incomplete (expected both Metric and Signal)");
            }
        }
    }

    public static List<ScrapeRuleOptions> DefaultRules() =>
    [
        new() { Metric = "node_hwmon_temp_celsius", Signal = SignalNames.CpuTemperature, ComponentLabels = ["chip", "sensor"], LabelPatterns = { ["chip"] = ".*(coretemp|k10temp|zenpower).*" } },
        new() { Metric = "node_hwmon_fan_rpm", Signal = SignalNames.FanSpeed, ComponentLabels = ["chip", "sensor"] },
        new() { Metric = "node_edac_correctable_errors_total", Signal = SignalNames.MemoryCorrectableTotal, ComponentLabels = ["controller"] },
        new() { Metric = "node_edac_uncorrectable_errors_total", Signal = SignalNames.MemoryUncorrectableTotal, ComponentLabels = ["controller"] },
        new() { Metric = "smartmon_reallocated_sector_ct_raw_value", Signal = SignalNames.SmartReallocatedSectors, ComponentLabels = ["disk"] },
        new() { Metric = "smartmon_reported_uncorrect_raw_value", Signal = SignalNames.SmartReportedUncorrectable, ComponentLabels = ["disk"] },
        new() { Metric = "smartmon_command_timeout_raw_value", Signal = SignalNames.SmartCommandTimeout, ComponentLabels = ["disk"] },
        new() { Metric = "smartmon_temperature_celsius_raw_value", Signal = SignalNames.SmartTemperature, ComponentLabels = ["disk"] },
        new() { Metric = "smartmon_current_pending_sector_raw_value", Signal = SignalNames.SmartPendingSectors, ComponentLabels = ["disk"] },
        new() { Metric = "smartmon_offline_uncorrectable_raw_value", Signal = SignalNames.SmartOfflineUncorrectable, ComponentLabels = ["disk"] },
        new() { Metric = "smartmon_power_on_hours_raw_value", Signal = SignalNames.SmartPowerOnHours, ComponentLabels = ["disk"] },
    ];
}
