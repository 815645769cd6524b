namespace Predictor.Telemetry.LineProtocol;

/// <summary>
/// A malformed line: <paramref name="Line"/> and <paramref name="Column"/> are 1-based (the column counts
/// bytes of the physical line), <paramref name="Reason"/> says what was expected, <paramref name="Text"/> is
/// the offending line (cut to 256 bytes) as InfluxDB quotes it in its partial-write errors.
/// </summary>
public sealed record LineProtocolError(int Line, int Column, string Reason, string Text)
{
    /// <summary>InfluxDB's wording, <c>unable to parse '…': reason</c>, with the position added.</summary>
    public override string ToString() => $"unable to parse '{Text}': {Reason} (line {Line}, column {Column})";
}
