namespace Predictor.Notifications.Console;

/// <summary>One readable line per alert on standard output (section "Notifications:Console"); the daemon's default.</summary>
public sealed class ConsoleOptions : TargetOptions
{
    public ConsoleOptions()
    {
        Enabled = true;
        MinSeverity = Core.Alerts.AlertSeverity.Info;
        MaxPerHour = 0;
    }
}
