using System.Text.Unicode;
using Predictor.Telemetry.LineProtocol;

namespace Predictor.Telemetry.Push;

/// <summary>
/// What InfluxDB 1.x refuses only when it stores a line that parsed, checked before the push is answered so the writer
/// hears of it instead of the point being acknowledged and then refused: a tag key <c>time</c>; a point whose only field
/// is <c>time</c> (a <c>time</c> field beside others is dropped silently, as InfluxDB does); one field key with two types
/// in one point; a measurement or field key that is not UTF-8 (InfluxDB answers 500 and stores nothing).
/// A field whose type differs from the type InfluxDB already holds for it (from earlier writes, or earlier in the same
/// write) cannot be known here: the forwarder finds such lines and keeps them in its dead-letter file.
/// </summary>
internal static class InfluxWriteRules
{
    /// <summary>Why InfluxDB would refuse the reader's current point when storing it; null when it would not.</summary>
    public static string? Refusal(ref LineProtocolReader point)
    {
        if (!Utf8.IsValid(point.Measurement.Raw))
        {
            return "the measurement is not valid UTF-8, which InfluxDB 1.x cannot store (it answers 500)";
        }

        for (var i = 0; i < point.TagCount; i++)
        {
            if (point.GetTag(i).Key.Equals("time"u8))
            {
                return $"invalid tag key: input tag \"time\" on measurement \"{point.Measurement.ToString()}\" is invalid (InfluxDB refuses it)";
            }
        }

        var onlyTime = true;
        for (var i = 0; i < point.FieldCount; i++)
        {
            var field = point.GetField(i);
            if (!Utf8.IsValid(field.Key.Raw))
            {
                return "a field key is not valid UTF-8, which InfluxDB 1.x cannot store (it answers 500)";
            }

            onlyTime &= field.Key.Equals("time"u8);
            for (var j = 0; j < i; j++)
            {
                var earlier = point.GetField(j);
                if (earlier.Kind != field.Kind && earlier.Key.Raw.SequenceEqual(field.Key.Raw))
                {
                    return $"field type conflict: input field \"{field.Key.ToString()}\" on measurement \"{point.Measurement.ToString()}\" is both {TypeName(earlier.Kind)} and {TypeName(field.Kind)} in one point";
                }
            }
        }

        return onlyTime
            ? $"invalid field name: input field \"time\" on measurement \"{point.Measurement.ToString()}\" is invalid (InfluxDB refuses a point whose only field is time)"
            : null;
    }

    private static string TypeName(LineFieldKind kind) => kind switch
    {
        LineFieldKind.Float => "float",
        LineFieldKind.Integer => "integer",
        LineFieldKind.Unsigned => "unsigned",
        LineFieldKind.String => "string",
        _ => "boolean",
    };
}
