using System.Collections.Concurrent;
using System.Text;
using Predictor.Telemetry.LineProtocol;

namespace Predictor.Telemetry.Mapping;

/// <summary>
/// Returns one shared string per distinct host id, component or name, looked up from UTF-8 without
/// allocating once the string is known. Past <c>capacity</c> distinct strings it stops remembering
/// (new strings are then allocated per use) so a flood of junk ids cannot grow it without bound.
/// </summary>
internal sealed class StringPool(int capacity)
{
    private readonly ConcurrentDictionary<string, string> _strings = new(StringComparer.Ordinal);

    public string Get(LineToken token)
    {
        if (token.Raw.Length > 64)
        {
            return Get(token.ToString());
        }

        Span<byte> bytes = stackalloc byte[64];
        var n = token.CopyUnescaped(bytes);
        Span<char> chars = stackalloc char[64];
        var c = Encoding.UTF8.GetChars(bytes[..n], chars);
        return Get(chars[..c]);
    }

    public string Get(ReadOnlySpan<char> text)
    {
        var lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(text, out var known))
        {
            return known;
        }

        var s = text.ToString();
        return _strings.Count < capacity ? _strings.GetOrAdd(s, s) : s;
    }
}
