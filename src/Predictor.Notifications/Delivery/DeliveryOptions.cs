namespace Predictor.Notifications.Delivery;

/// <summary>Retries and timeouts around every HTTP notification (section "Notifications:Delivery").</summary>
public sealed class DeliveryOptions
{
    /// <summary>Retries after the first attempt fails with a network error, a timeout, 408, 429 or 5xx.</summary>
    /// <value>The default value is 3.</value>
    public int MaxRetries { get; set; } = 3;

    /// <summary>Delay before the first retry; it doubles for each following retry (with jitter).</summary>
    /// <value>The default value is 1 s.</value>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Time one attempt may take.</summary>
    /// <value>The default value is 10 s.</value>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time all attempts together may take.</summary>
    /// <value>The default value is 60 s.</value>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
