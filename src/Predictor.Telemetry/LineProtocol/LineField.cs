using System.Globalization;

namespace Predictor.Telemetry.LineProtocol;

/// <summary>One field of a parsed line: its key and its typed value, parsed once while the line was validated.</summary>
public readonly ref struct LineField
{
    private readonly long _bits;

    internal LineField(LineToken key, LineFieldKind kind, long bits, LineToken stringValue)
    {
        Key = key;
        Kind = kind;
        _bits = bits;
        StringValue = stringValue;
    }

    public LineToken Key { get; }

    public LineFieldKind Kind { get; }

    /// <summary>The string value without its quotes, still escaped; empty unless <see cref="Kind"/> is <see cref="LineFieldKind.String"/>.</summary>
    public LineToken StringValue { get; }

    public double AsDouble() => Kind == LineFieldKind.Float ? BitConverter.Int64BitsToDouble(_bits) : throw WrongKind(LineFieldKind.Float);

    public long AsInt64() => Kind == LineFieldKind.Integer ? _bits : throw WrongKind(LineFieldKind.Integer);

    public ulong AsUInt64() => Kind == LineFieldKind.Unsigned ? unchecked((ulong)_bits) : throw WrongKind(LineFieldKind.Unsigned);

    public bool AsBoolean() => Kind == LineFieldKind.Boolean ? _bits != 0 : throw WrongKind(LineFieldKind.Boolean);

    /// <summary>The unescaped string value (allocates).</summary>
    public string AsString() => Kind == LineFieldKind.String ? StringValue.ToString() : throw WrongKind(LineFieldKind.String);

    /// <summary>The value as a number (booleans as 1 and 0); false for strings.</summary>
    public bool TryGetNumber(out double value)
    {
        value = Kind switch
        {
            LineFieldKind.Float => BitConverter.Int64BitsToDouble(_bits),
            LineFieldKind.Integer => _bits,
            LineFieldKind.Unsigned => unchecked((ulong)_bits),
            LineFieldKind.Boolean => _bits,
            _ => double.NaN,
        };
        return Kind != LineFieldKind.String;
    }

    /// <summary>The value as line protocol would write it (for diagnostics; allocates).</summary>
    public override string ToString() => Kind switch
    {
        LineFieldKind.Float => BitConverter.Int64BitsToDouble(_bits).ToString("R", CultureInfo.InvariantCulture),
        LineFieldKind.Integer => _bits.ToString(CultureInfo.InvariantCulture) + "i",
        LineFieldKind.Unsigned => unchecked((ulong)_bits).ToString(CultureInfo.InvariantCulture) + "u",
        LineFieldKind.Boolean => _bits != 0 ? "true" : "false",
        _ => "\"" + StringValue.ToString() + "\"",
    };

    private InvalidOperationException WrongKind(LineFieldKind wanted) =>
        new($"Field '{Key.ToString()}' is {Kind}, not {wanted}.");
}
