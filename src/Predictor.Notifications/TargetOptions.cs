using Predictor.Core.Alerts;

namespace Predictor.Notifications;

/// <summary>What every notification target has: whether it is on, what it receives, and its rate limit.</summary>
public abstract class TargetOptions
{
    /// <summary>Whether alerts go to this target.</summary>
    /// <value>The default value is false (the console target: true).</value>
    public bool Enabled { get; set; }

    /// <summary>Alerts below this severity are not sent to this target (their resolves neither).</summary>
    /// <value>The default value is <see cref="AlertSeverity.Warning"/>.</value>
    public AlertSeverity MinSeverity { get; set; } = AlertSeverity.Warning;

    /// <summary>Notifications per hour at most; what is held back goes out as one "N more" notification. 0: no limit.</summary>
    /// <value>The default value is 20.</value>
    public int MaxPerHour { get; set; } = 20;

    /// <summary>Notifications that may go out at once before the hourly rate applies.</summary>
    /// <value>The default value is 5.</value>
    public int Burst { get; set; } = 5;
}
