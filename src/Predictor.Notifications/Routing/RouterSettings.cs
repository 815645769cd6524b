namespace Predictor.Notifications.Routing;

/// <summary>Timing of the router, taken from <see cref="RoutingOptions"/>.</summary>
/// <param name="GroupWait">How long alerts of one condition are collected before they go out together.</param>
/// <param name="RepeatInterval">An unchanged alert is not re-sent before this much time has passed.</param>
internal sealed record RouterSettings(TimeSpan GroupWait, TimeSpan RepeatInterval);
