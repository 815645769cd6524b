using System.ComponentModel.DataAnnotations;
using Predictor.Core.Configuration;

namespace Predictor.Execution.Updates;

/// <summary>
/// The command that applies a host's update on a real datacenter. Bound from configuration section
/// "Updates". Each argument may hold the placeholders <c>{host}</c>, <c>{update}</c> and <c>{action}</c>
/// (<c>hot-patch</c>, <c>memory-preserving</c> or <c>live-migration</c>); the same values are in the
/// environment as PREDICTOR_HOST, PREDICTOR_UPDATE and PREDICTOR_ACTION. No shell is involved.
/// </summary>
[OptionsSection(SectionName)]
public sealed class HostUpdateCommandOptions : IValidatableObject
{
    public const string SectionName = "Updates";

    /// <summary>The executable to run; null or empty to apply updates in simulation (the planned duration on the daemon's clock).</summary>
    /// <value>The default value is null.</value>
    public string? Command { get; set; }

    /// <summary>Arguments, each with placeholders substituted.</summary>
    /// <value>The default value is <c>["{host}", "{update}", "{action}"]</c>.</value>
    public List<string> Arguments { get; set; } = ["{host}", "{update}", "{action}"];

    /// <summary>A command running longer than this is killed and the update counts as failed (paused VMs are resumed).</summary>
    /// <value>The default value is 30 minutes.</value>
    [InRange(typeof(TimeSpan), "00:00:00", InRangeAttribute.Unbounded, MinimumIsExclusive = true)]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The rule no attribute states: a command given by its full path must exist.</summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(Command) && Path.IsPathRooted(Command) && !File.Exists(Command))
        {
            yield return OptionsError.Invalid($"{SectionName}:{nameof(Command)}", "no such file", Command, "an existing executable");
        }
    }
}
