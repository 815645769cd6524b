namespace Predictor.Telemetry.LineProtocol;

/// <summary>The type of a line-protocol field value, as its syntax declares it.</summary>
public enum LineFieldKind : byte
{
    /// <summary>A number without suffix: <c>1</c>, <c>-2.5</c>, <c>1e-3</c>.</summary>
    Float,

    /// <summary>A signed 64-bit integer with the <c>i</c> suffix: <c>-12i</c>.</summary>
    Integer,

    /// <summary>An unsigned 64-bit integer with the <c>u</c> suffix: <c>12u</c>.</summary>
    Unsigned,

    /// <summary>A double-quoted string: <c>"text"</c>.</summary>
    String,

    /// <summary><c>t</c>, <c>T</c>, <c>true</c>, <c>True</c>, <c>TRUE</c> or the same spellings of false.</summary>
    Boolean,
}
