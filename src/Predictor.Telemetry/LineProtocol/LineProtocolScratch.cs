namespace Predictor.Telemetry.LineProtocol;

/// <summary>
/// Per-line storage of a <see cref="LineProtocolReader"/>: where each tag and field lies and the parsed
/// field values. It grows to the widest line seen and is then reused, so keep one per reading thread.
/// </summary>
public sealed class LineProtocolScratch
{
    internal TagSlot[] Tags { get; private set; } = new TagSlot[8];

    internal FieldSlot[] Fields { get; private set; } = new FieldSlot[16];

    internal ref TagSlot AddTag(int index)
    {
        if (index == Tags.Length)
        {
            var grown = Tags;
            Array.Resize(ref grown, index * 2);
            Tags = grown;
        }

        return ref Tags[index];
    }

    internal ref FieldSlot AddField(int index)
    {
        if (index == Fields.Length)
        {
            var grown = Fields;
            Array.Resize(ref grown, index * 2);
            Fields = grown;
        }

        return ref Fields[index];
    }
}

internal struct TagSlot
{
    public int KeyStart;
    public int KeyLength;
    public int ValueStart;
    public int ValueLength;
    public bool KeyEscaped;
    public bool ValueEscaped;
}

internal struct FieldSlot
{
    public int KeyStart;
    public int KeyLength;
    public int ValueStart;
    public int ValueLength;
    public long Bits;
    public LineFieldKind Kind;
    public bool KeyEscaped;
    public bool ValueEscaped;
}
