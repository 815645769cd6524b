using System.ComponentModel.DataAnnotations;
using Predictor.Core.Configuration;
using Predictor.Core.Telemetry;

namespace Predictor.Telemetry.Mapping;

/// <summary>
/// How measurements, fields and tags (or Prometheus metrics and labels) become Predictor signals.
/// The default maps any field whose name is one of <see cref="Signals"/> to that signal, whatever the
/// measurement, taking the host from the <c>host</c> tag and the component from the first of
/// <see cref="ComponentTags"/> present. <see cref="Rules"/> add explicit mappings, checked first.
/// </summary>
[OptionsSection("SignalMapping")]
public sealed class SignalMappingOptions : IValidatableObject
{
    /// <summary>The tag (or label) holding the host id.</summary>
    /// <value>The default value is <c>host</c>.</value>
    [NotEmpty(Expected = "a tag name")]
    public string HostTag { get; set; } = "host";

    /// <summary>Tags naming the component (disk, DIMM, fan, PSU, NIC, sensor), tried in order.</summary>
    /// <value>The default value is <c>disk, dimm, fan, psu, nic, sensor</c>.</value>
    public List<string> ComponentTags { get; set; } = ["disk", "dimm", "fan", "psu", "nic", "sensor"];

    /// <summary>Whether a field named like a signal maps to it, whatever its measurement.</summary>
    /// <value>The default value is true.</value>
    public bool FieldNameIsSignal { get; set; } = true;

    /// <summary>Signal names recognised by <see cref="FieldNameIsSignal"/>.</summary>
    /// <value>The default value is every name in <see cref="SignalNames"/>.</value>
    public List<string> Signals { get; set; } = DefaultSignals();

    /// <summary>Explicit rules, checked before the field-name default; the first match wins.</summary>
    /// <value>The default value is empty.</value>
    public List<SignalRuleOptions> Rules { get; set; } = [];

    /// <summary>Distinct unknown hosts and unmapped fields remembered for the report.</summary>
    /// <value>The default value is 1000.</value>
    [InRange(0, int.MaxValue)]
    public int ReportLimit { get; set; } = 1000;

    /// <summary>The rules no attribute states: every listed tag and rule complete.</summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < ComponentTags.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(ComponentTags[i]))
            {
                yield return OptionsError.Invalid(FormattableString.Invariant($"SignalMapping:ComponentTags:{i}"), "empty", ComponentTags[i], "a tag name");
            }
        }

        for (var i = 0; i < Rules.Count; i++)
        {
            var at = FormattableString.Invariant($"SignalMapping:Rules:{i}");
            var r = Rules[i];
            if (string.IsNullOrWhiteSpace(r.Field))
            {
                yield return OptionsError.Invalid($"{at}:Field", "empty", r.Field, "a field or metric name");
            }

            if (string.IsNullOrWhiteSpace(r.Signal))
            {
                yield return OptionsError.Invalid($"{at}:Signal", "empty", r.Signal, "a signal name");
            }

            if (!double.IsFinite(r.Scale) || r.Scale == 0)
            {
                yield return OptionsError.Invalid($"{at}:Scale", "out of range", r.Scale, "a finite, non-zero number");
            }
        }
    }

    private static List<string> DefaultSignals() =>
        typeof(SignalNames).GetFields()
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();
}

/// <summary>One explicit mapping: <see cref="Field"/> of <see cref="Measurement"/> (any when null), where the tags match <see cref="Tags"/>, is <see cref="Signal"/>.</summary>
public sealed class SignalRuleOptions
{
    /// <value>The default value is null (any measurement or metric family).</value>
    public string? Measurement { get; set; }

    /// <summary>Field key (line protocol, InfluxQL) or metric name (Prometheus).</summary>
    public string Field { get; set; } = "";

    public string Signal { get; set; } = "";

    /// <summary>Tags that must be present with these values.</summary>
    /// <value>The default value is empty.</value>
    public Dictionary<string, string> Tags { get; set; } = [];

    /// <summary>The tag naming the component for this rule; null uses <see cref="SignalMappingOptions.ComponentTags"/>.</summary>
    /// <value>The default value is null.</value>
    public string? ComponentTag { get; set; }

    /// <summary>Multiplier applied to the value (e.g. 0.001 for millidegrees).</summary>
    /// <value>The default value is 1.</value>
    public double Scale { get; set; } = 1;
}
