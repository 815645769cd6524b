namespace Predictor.Execution.Updates;

/// <summary>
/// The command that applies a host's update on a real datacenter. Bound from configuration section
/// "Updates". Each argument may hold the placeholders <c>{host}</c>, <c>{update}</c> and <c>{action}</c>
/// (<c>hot-patch</c>, <c>memory-preserving</c> or <c>live-migration</c>); the same values are in the
/// environment as PREDICTOR_HOST, PREDICTOR_UPDATE and PREDICTOR_ACTION. No shell is involved.
/// </summary>
public sealed class HostUpdateCommandOptions
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
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Every problem with these options, for start-up validation.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Timeout <= TimeSpan.Zero)
        {
            errors.Add($"Updates:Timeout must be positive (got {Timeout}).");
        }

        if (!string.IsNullOrWhiteSpace(Command) && Path.IsPathRooted(Command) && !File.Exists(Command))
        {
            errors.Add($"Updates:Command '{Command}' does not exist.");
        }

        return errors;
    }
}
