namespace Predictor.Notifications.Alertmanager;

/// <summary>Alertmanager v2 API target (section "Notifications:Alertmanager").</summary>
public sealed class AlertmanagerOptions : TargetOptions
{
    /// <summary>Base URL of Alertmanager, e.g. http://alertmanager:9093; alerts go to {Url}/api/v2/alerts.</summary>
    /// <value>The default value is null (required when enabled).</value>
    public Uri? Url { get; set; }

    /// <summary>
    /// How often active alerts are posted again. Alertmanager resolves an alert whose endsAt passes, so each post
    /// sets endsAt to now plus four resend intervals, as Prometheus does.
    /// </summary>
    /// <value>The default value is 1 minute.</value>
    public TimeSpan ResendInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Link back to Predictor put in generatorURL, e.g. its dashboard; "?host=..." is appended for host alerts.</summary>
    /// <value>The default value is http://127.0.0.1:8080/.</value>
    public Uri GeneratorUrl { get; set; } = new("http://127.0.0.1:8080/");

    /// <summary>Labels added to every alert, e.g. datacenter=fra1, so routes can tell daemons apart.</summary>
    /// <value>The default value is empty.</value>
    public Dictionary<string, string> ExtraLabels { get; set; } = [];
}
