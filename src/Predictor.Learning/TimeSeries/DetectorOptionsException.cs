namespace Predictor.Learning.TimeSeries;

/// <summary>Invalid detector options; <see cref="Errors"/> lists every problem found, not just the first.</summary>
public sealed class DetectorOptionsException : ArgumentException
{
    public DetectorOptionsException(IReadOnlyList<string> errors)
        : base("Invalid detector options: " + string.Join("; ", errors))
    {
        Errors = errors;
    }

    public DetectorOptionsException()
        : this(["unknown error"])
    {
    }

    public DetectorOptionsException(string message)
        : this([message])
    {
    }

    public DetectorOptionsException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    /// <summary>Each problem, naming the option and the accepted range.</summary>
    public IReadOnlyList<string> Errors { get; }

    internal static void ThrowIfAny(List<string> errors)
    {
        if (errors.Count > 0)
        {
            throw new DetectorOptionsException(errors);
        }
    }
}
