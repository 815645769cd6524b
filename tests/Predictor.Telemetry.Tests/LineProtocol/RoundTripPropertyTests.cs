using System.Buffers;
using System.Text;
using Predictor.Telemetry.LineProtocol;

namespace Predictor.Telemetry.Tests.LineProtocol;

/// <summary>Properties over many random inputs, each seed fixed so a failure can be replayed.</summary>
public sealed class RoundTripPropertyTests
{
    private const string Alphabet = "abcXYZ019_-.,= \\\"#'\té€😀";

    [Fact]
    public void WriteThenRead_RandomValidPoints_RoundTripExactly()
    {
        for (var seed = 0; seed < 2000; seed++)
        {
            var rng = new Random(seed);
            var expected = Enumerable.Range(0, 1 + rng.Next(4)).Select(_ => RandomPoint(rng)).ToList();
            var buffer = new ArrayBufferWriter<byte>();
            var precision = (TimestampPrecision)rng.Next(4);
            var writer = new LineProtocolWriter(buffer, precision);
            foreach (var p in expected)
            {
                p.WriteTo(writer);
            }

            var (points, errors) = ParsedPoint.ParseAll(buffer.WrittenSpan.ToArray(), precision);
            Assert.True(errors.Count == 0, $"seed {seed}: {string.Join("; ", errors)} in {Encoding.UTF8.GetString(buffer.WrittenSpan)}");
            Assert.True(expected.Count == points.Count, $"seed {seed}: {Encoding.UTF8.GetString(buffer.WrittenSpan)}");
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i].Measurement, points[i].Measurement);
                Assert.Equal(expected[i].Tags, points[i].Tags);
                Assert.Equal(expected[i].Fields, points[i].Fields);
                Assert.Equal(expected[i].Timestamp, points[i].Timestamp);
            }
        }
    }

    [Fact]
    public void Read_RandomByteMutations_NeverThrowAndKeepPositionsInLine()
    {
        var seedText = Encoding.UTF8.GetBytes(
            "smart,host=h0001,disk=sda smart_5_raw=0i,smart_197_raw=3u,t=41.5,ok=T,m=\"a\\\"b\" 1767225600000000000\n" +
            "# comment\nfan,host=h\\ 2,fan=1 fan_rpm=1200.5 1767225600\nx\\,y,k\\=1=v\\,2 s=\"multi\nline\"\n");
        const string interesting = ",= \\\"\n\r#tTfFiu.-+e0123456789";
        for (var seed = 0; seed < 20000; seed++)
        {
            var rng = new Random(seed);
            var bytes = (byte[])seedText.Clone();
            for (var m = 1 + rng.Next(6); m > 0; m--)
            {
                var at = rng.Next(bytes.Length);
                bytes[at] = rng.Next(3) == 0 ? (byte)rng.Next(256) : (byte)interesting[rng.Next(interesting.Length)];
            }

            var length = rng.Next(4) == 0 ? rng.Next(bytes.Length + 1) : bytes.Length;
            var (points, errors) = ParsedPoint.ParseAll(bytes[..length], (TimestampPrecision)rng.Next(4));
            var lines = bytes[..length].Count(b => b == (byte)'\n') + 1;
            Assert.All(errors, e => Assert.True(e.Line >= 1 && e.Line <= lines && e.Column >= 1, $"seed {seed}: {e}"));
            Assert.True(points.Count + errors.Count <= lines, $"seed {seed}");
        }
    }

    private static ParsedPoint RandomPoint(Random rng)
    {
        var measurement = RandomName(rng);
        while (measurement[0] is '#' or '\t')
        {
            measurement = RandomName(rng);
        }

        var tags = new List<(string, string)>();
        foreach (var key in Enumerable.Range(0, rng.Next(4)).Select(_ => RandomName(rng)).Distinct())
        {
            tags.Add((key, RandomName(rng)));
        }

        var fields = new List<(string, LineFieldKind, object)>();
        for (var i = 1 + rng.Next(6); i > 0; i--)
        {
            var kind = (LineFieldKind)rng.Next(5);
            object value = kind switch
            {
                LineFieldKind.Float => RandomDouble(rng),
                LineFieldKind.Integer => rng.NextInt64(long.MinValue, long.MaxValue),
                LineFieldKind.Unsigned => (ulong)rng.NextInt64() * 2 + (ulong)rng.Next(2),
                LineFieldKind.Boolean => rng.Next(2) == 0,
                _ => rng.Next(5) == 0 ? "" : RandomName(rng) + (rng.Next(3) == 0 ? "\nnext" : ""),
            };
            // a field key cannot start with a tab: InfluxDB skips whitespace before the field section
            var key = RandomName(rng);
            while (key[0] == '\t')
            {
                key = RandomName(rng);
            }

            fields.Add((key, kind, value));
        }

        long? timestamp = rng.Next(3) == 0 ? null : rng.NextInt64(-1_000_000_000, 2_000_000_000);
        return new ParsedPoint(measurement, tags, fields, timestamp);
    }

    private static double RandomDouble(Random rng) => rng.Next(4) switch
    {
        0 => rng.Next(-1000, 1000),
        1 => Math.Round((rng.NextDouble() - 0.5) * 1000, rng.Next(6)),
        2 => BitConverter.Int64BitsToDouble(rng.NextInt64() & 0x7FEF_FFFF_FFFF_FFFF) * (rng.Next(2) == 0 ? 1 : -1),
        _ => rng.NextDouble() * Math.Pow(10, rng.Next(-30, 30)),
    };

    /// <summary>A name InfluxDB can carry: no backslash at its end or before a byte it would take the backslash to escape (the writer refuses those).</summary>
    private static string RandomName(Random rng)
    {
        while (true)
        {
            var sb = new StringBuilder();
            for (var i = 1 + rng.Next(8); i > 0; i--)
            {
                var c = char.ConvertFromUtf32(char.ConvertToUtf32(Alphabet, PickIndex(rng)));
                sb.Append(c);
            }

            var name = sb.ToString();
            if (!name.EndsWith('\\') && !name.Contains("\\,", StringComparison.Ordinal) && !name.Contains("\\ ", StringComparison.Ordinal)
                && !name.Contains("\\=", StringComparison.Ordinal) && !name.Contains("\\\"", StringComparison.Ordinal))
            {
                return name;
            }
        }
    }

    private static int PickIndex(Random rng)
    {
        while (true)
        {
            var i = rng.Next(Alphabet.Length);
            if (!char.IsLowSurrogate(Alphabet[i]))
            {
                return i;
            }
        }
    }
}
