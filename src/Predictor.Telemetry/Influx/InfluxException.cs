using System.Net;

namespace Predictor.Telemetry.Influx;

/// <summary>InfluxDB refused a request; <see cref="ServerError"/> is its <c>error</c> text.</summary>
public sealed class InfluxException : Exception
{
    public InfluxException(string message)
        : base(message)
    {
    }

    public InfluxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public InfluxException(HttpStatusCode statusCode, string? serverError, string operation)
        : base($"InfluxDB {operation} failed with {(int)statusCode} {statusCode}: {serverError ?? "(no error text)"}")
    {
        StatusCode = statusCode;
        ServerError = serverError;
    }

    public InfluxException()
    {
    }

    public HttpStatusCode? StatusCode { get; }

    public string? ServerError { get; }

    /// <summary>A 400 whose text says some lines were written and others dropped.</summary>
    public bool IsPartialWrite => StatusCode == HttpStatusCode.BadRequest && ServerError?.Contains("partial write", StringComparison.Ordinal) == true;

    /// <summary>Whether retrying later can succeed (the server or the network, not the request, was at fault).</summary>
    public bool IsTransient => StatusCode is null || (int)StatusCode >= 500 || StatusCode == HttpStatusCode.TooManyRequests;
}
