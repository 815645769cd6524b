namespace Predictor.Notifications.Delivery;

/// <summary>A notification was refused or could not be delivered after retries.</summary>
public sealed class NotificationDeliveryException : Exception
{
    public NotificationDeliveryException()
    {
    }

    public NotificationDeliveryException(string message)
        : base(message)
    {
    }

    public NotificationDeliveryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
