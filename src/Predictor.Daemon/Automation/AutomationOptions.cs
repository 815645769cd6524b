using System.ComponentModel.DataAnnotations;

namespace Predictor.Daemon.Automation;

/// <summary>The kill switch. Bound from configuration section "Automation".</summary>
public sealed class AutomationOptions
{
    public const string SectionName = "Automation";

    /// <summary>The file the daemon uses when <see cref="KillSwitchFile"/> is not configured (relative to the working directory).</summary>
    public const string DefaultKillSwitchFile = "predictor.kill-switch";

    /// <summary>Engage the kill switch from configuration: nothing is automated until the setting is removed and the daemon restarted.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool KillSwitch { get; set; }

    /// <summary>
    /// A file whose presence engages the kill switch (<c>touch</c> it; remove it to release). It works while the HTTP API is
    /// unreachable and survives restarts; <c>POST /api/v1/kill-switch</c> creates it and <c>DELETE</c> removes it. Empty: no file.
    /// </summary>
    /// <value>The default value is <c>predictor.kill-switch</c> in the working directory for the daemon; none for a <c>--for</c> scenario.</value>
    public string? KillSwitchFile { get; set; }

    /// <summary>How often the daemon looks for <see cref="KillSwitchFile"/> between passes.</summary>
    /// <value>The default value is 1 second.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan KillSwitchPollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>Who may change the daemon's state over HTTP. Bound from configuration section "Api".</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>
    /// Bearer token the mutating endpoints (pause, resume, kill switch) require (<c>Authorization: Bearer TOKEN</c>), at least
    /// 16 characters. Without a token (here or in <see cref="TokenFile"/>) they are accepted only from loopback clients.
    /// </summary>
    /// <value>The default value is null.</value>
    public string? Token { get; set; }

    /// <summary>File holding the token (surrounding whitespace ignored); keeps it out of the configuration files.</summary>
    /// <value>The default value is null.</value>
    public string? TokenFile { get; set; }
}

/// <summary>
/// The blast-radius guard: when too many hosts are flagged at risk within a window, that is more likely bad telemetry or a
/// bad model than a real wave of failures, so automation stops until an operator resumes it. Bound from section "Pipeline".
/// </summary>
public sealed class BlastRadiusOptions
{
    public const string SectionName = "Pipeline";

    /// <summary>Share of the watched hosts which, flagged within <see cref="BlastRadiusWindow"/>, trips the guard (strictly more than this).</summary>
    /// <value>The default value is 0.05.</value>
    [Range(0.0, 1.0)]
    public double BlastRadiusMaxShare { get; set; } = 0.05;

    /// <summary>The guard never trips on fewer flagged hosts than this, so one host of a small fleet does not stop everything.</summary>
    /// <value>The default value is 3.</value>
    [Range(1, int.MaxValue)]
    public int BlastRadiusMinHosts { get; set; } = 3;

    /// <summary>Flags this recent count as "at once".</summary>
    /// <value>The default value is 1 hour.</value>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan BlastRadiusWindow { get; set; } = TimeSpan.FromHours(1);
}
