using Predictor.Core.Alerts;

namespace Predictor.Notifications.Routing;

/// <summary>A target with the routing rules that apply to it.</summary>
/// <param name="Target">Where notifications go.</param>
/// <param name="MinSeverity">Alerts below this severity are not sent to the target.</param>
/// <param name="MaxPerHour">Notifications per hour the target receives at most; 0 for no limit.</param>
/// <param name="Burst">Notifications the target may receive at once before the hourly rate applies.</param>
internal sealed record TargetRoute(INotificationTarget Target, AlertSeverity MinSeverity, int MaxPerHour, int Burst);
