using System.Text;
using Predictor.Telemetry.LineProtocol;

namespace Predictor.Telemetry.Tests.LineProtocol;

/// <summary>A materialised point, so tests can compare what the reader saw.</summary>
internal sealed record ParsedPoint(string Measurement, IReadOnlyList<(string Key, string Value)> Tags, IReadOnlyList<(string Key, LineFieldKind Kind, object Value)> Fields, long? Timestamp)
{
    public static (List<ParsedPoint> Points, List<LineProtocolError> Errors) ParseAll(string text, TimestampPrecision precision = TimestampPrecision.Nanoseconds) =>
        ParseAll(Encoding.UTF8.GetBytes(text), precision);

    public static (List<ParsedPoint> Points, List<LineProtocolError> Errors) ParseAll(byte[] utf8, TimestampPrecision precision = TimestampPrecision.Nanoseconds)
    {
        var points = new List<ParsedPoint>();
        var errors = new List<LineProtocolError>();
        var reader = new LineProtocolReader(utf8, precision);
        while (true)
        {
            var result = reader.Read();
            if (result == LineReadResult.End)
            {
                return (points, errors);
            }

            if (result == LineReadResult.Error)
            {
                errors.Add(reader.Error!);
                continue;
            }

            var tags = new List<(string, string)>();
            for (var i = 0; i < reader.TagCount; i++)
            {
                var tag = reader.GetTag(i);
                tags.Add((tag.Key.ToString(), tag.Value.ToString()));
            }

            var fields = new List<(string, LineFieldKind, object)>();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                var f = reader.GetField(i);
                object value = f.Kind switch
                {
                    LineFieldKind.Float => f.AsDouble(),
                    LineFieldKind.Integer => f.AsInt64(),
                    LineFieldKind.Unsigned => f.AsUInt64(),
                    LineFieldKind.Boolean => f.AsBoolean(),
                    _ => f.AsString(),
                };
                fields.Add((f.Key.ToString(), f.Kind, value));
            }

            points.Add(new ParsedPoint(reader.Measurement.ToString(), tags, fields, reader.HasTimestamp ? reader.Timestamp : null));
        }
    }

    /// <summary>Writes the point as one line.</summary>
    public void WriteTo(LineProtocolWriter writer)
    {
        writer.BeginLine(Measurement);
        foreach (var (k, v) in Tags)
        {
            writer.Tag(k, v);
        }

        foreach (var (k, kind, v) in Fields)
        {
            _ = kind switch
            {
                LineFieldKind.Float => writer.Field(k, (double)v),
                LineFieldKind.Integer => writer.Field(k, (long)v),
                LineFieldKind.Unsigned => writer.FieldUnsigned(k, (ulong)v),
                LineFieldKind.Boolean => writer.Field(k, (bool)v),
                _ => writer.Field(k, (string)v),
            };
        }

        writer.EndLine(Timestamp);
    }

    public static ParsedPoint Single(string text)
    {
        var (points, errors) = ParseAll(text);
        Assert.Empty(errors);
        return Assert.Single(points);
    }
}
