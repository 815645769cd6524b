namespace Predictor.Telemetry.LineProtocol;

/// <summary>One tag of a parsed line.</summary>
public readonly ref struct LineTag
{
    internal LineTag(LineToken key, LineToken value)
    {
        Key = key;
        Value = value;
    }

    public LineToken Key { get; }

    public LineToken Value { get; }
}
