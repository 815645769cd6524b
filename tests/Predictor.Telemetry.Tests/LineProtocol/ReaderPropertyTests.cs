using System.Buffers;
using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Predictor.Telemetry.LineProtocol;

namespace Predictor.Telemetry.Tests.LineProtocol;

/// <summary>
/// Properties of the line-protocol reader checked by FsCheck over generated inputs (shrunk to a smallest counterexample
/// when one fails). The seeded loops in <see cref="RoundTripPropertyTests"/> and the mutation fuzzer cover other ground.
/// </summary>
public sealed class ReaderPropertyTests
{
    private const string NameAlphabet = "abcXYZ09_-.,= \\\"#'\té€😀";
    private static readonly Config s_config = Config.QuickThrowOnFailure.WithMaxTest(500);

    [Fact]
    public void AnyBytes_NeverThrowsAdvancesAndPlacesErrorsOnTheirLines()
    {
        var protocolish = Gen.Elements("cpu,host=a v=1i 5\n m\\ x s=\"q\\\"\"\n#c\r\n=,\\ \"\tiu.-e9\0"u8.ToArray()).ArrayOf();
        var bytes = Gen.OneOf(protocolish, ArbMap.Default.GeneratorFor<byte[]>());
        Prop.ForAll(Arb.From(bytes), input =>
        {
            var (points, errors) = ParsedPoint.ParseAll(input);
            var lines = input.Count(b => b == (byte)'\n') + 1;
            return points.Count + errors.Count <= lines && errors.All(e => e.Line >= 1 && e.Line <= lines && e.Column >= 1);
        }).Check(s_config);
    }

    [Fact]
    public void LinesWithoutQuotesOrBackslashes_ReadTheSameAloneAsInABatch()
    {
        // a quote or a backslash may join lines (InfluxDB's own splitting); other lines are independent: one bad line
        // never changes how its neighbours read
        var line = Gen.Elements("cpu,host=a v=1 5 =,.i-9tT\tx".ToCharArray()).ArrayOf().Select(c => new string(c));
        Prop.ForAll(Arb.From(line.ListOf()), lines =>
        {
            var alone = lines.SelectMany(l => Outcomes(l)).ToList();
            var together = Outcomes(string.Join('\n', lines));
            return alone.SequenceEqual(together);
        }).Check(s_config);
    }

    [Fact]
    public void WrittenPoint_ReadBack_Exactly()
    {
        Prop.ForAll(Arb.From(PointGen()), point =>
        {
            var buffer = new ArrayBufferWriter<byte>();
            point.WriteTo(new LineProtocolWriter(buffer));
            var read = ParsedPoint.Single(Encoding.UTF8.GetString(buffer.WrittenSpan));
            return read.Measurement == point.Measurement && read.Tags.SequenceEqual(point.Tags) && read.Fields.SequenceEqual(point.Fields) && read.Timestamp == point.Timestamp;
        }).Check(s_config);
    }

    [Fact]
    public void AnyFiniteDouble_ReadFromItsShortestText_ToTheSameBits()
    {
        var finite = ArbMap.Default.GeneratorFor<double>().Where(double.IsFinite);
        Prop.ForAll(Arb.From(finite), value =>
        {
            var read = (double)ParsedPoint.Single("m v=" + value.ToString("R", CultureInfo.InvariantCulture)).Fields[0].Value;
            return BitConverter.DoubleToInt64Bits(read) == BitConverter.DoubleToInt64Bits(value);
        }).Check(s_config);
    }

    [Fact]
    public void AnyTimestamp_AcceptedExactlyWhenInfluxCanStoreIt()
    {
        var stamp = Gen.OneOf(ArbMap.Default.GeneratorFor<long>(), Gen.Elements(long.MinValue, long.MinValue + 1, long.MinValue + 2, long.MaxValue - 1, long.MaxValue, 0L, -1L));
        var precision = Gen.Elements(Enum.GetValues<TimestampPrecision>());
        Prop.ForAll(Arb.From(stamp), Arb.From(precision), (t, p) =>
        {
            var (points, errors) = ParsedPoint.ParseAll(string.Create(CultureInfo.InvariantCulture, $"m v=1 {t}"), p);
            var inside = (Int128)t * TimestampPrecisions.NanosecondsPer(p) is var ns && ns >= long.MinValue + 2 && ns <= long.MaxValue - 1;
            return inside ? points.Count == 1 && errors.Count == 0 && points[0].Timestamp == t : points.Count == 0 && errors.Count == 1;
        }).Check(s_config);
    }

    private static List<string> Outcomes(string text)
    {
        var outcomes = new List<string>();
        var reader = new LineProtocolReader(Encoding.UTF8.GetBytes(text));
        LineReadResult result;
        while ((result = reader.Read()) != LineReadResult.End)
        {
            outcomes.Add(result == LineReadResult.Point ? "P " + Encoding.UTF8.GetString(reader.RawLine) : "E " + reader.Error!.Reason);
        }

        return outcomes;
    }

    private static Gen<ParsedPoint> PointGen()
    {
        var name = Gen.Elements(NameAlphabet.EnumerateRunes().Select(r => r.ToString()).ToArray()).NonEmptyListOf().Select(parts => string.Concat(parts)).Select(Representable);
        var measurement = name.Where(n => n[0] is not ('#' or '\t'));
        var fieldKey = name.Where(n => n[0] != '\t');
        var text = Gen.Elements(NameAlphabet.EnumerateRunes().Select(r => r.ToString()).Append("\n").ToArray()).ListOf().Select(parts => string.Concat(parts));
        var value = Gen.OneOf(
            ArbMap.Default.GeneratorFor<double>().Where(double.IsFinite).Select(d => (LineFieldKind.Float, (object)d)),
            ArbMap.Default.GeneratorFor<long>().Select(l => (LineFieldKind.Integer, (object)l)),
            ArbMap.Default.GeneratorFor<bool>().Select(b => (LineFieldKind.Boolean, (object)b)),
            text.Select(s => (LineFieldKind.String, (object)s)));
        var field = from k in fieldKey from v in value select (k, v.Item1, v.Item2);
        var tag = from k in name from v in name select (k, v);
        var timestamp = Gen.OneOf(Gen.Constant((long?)null), Gen.Choose(-1_000_000, 1_000_000).Select(t => (long?)t * 1_000_000_000));
        return from m in measurement
               from tags in tag.ListOf()
               from fields in field.NonEmptyListOf()
               from t in timestamp
               select new ParsedPoint(
                   m,
                   [.. tags.DistinctBy(x => x.k).Select(x => (x.k, x.v))],
                   [.. fields.DistinctBy(f => f.k).Select(f => (f.k, f.Item2, f.Item3))],
                   t);
    }

    /// <summary>Drops each backslash InfluxDB would read as an escape (at the end, before a byte it escapes): the writer refuses those names.</summary>
    private static string Representable(string name)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            if (name[i] == '\\' && (i + 1 == name.Length || name[i + 1] is ',' or ' ' or '=' or '"' or '\\'))
            {
                continue;
            }

            sb.Append(name[i]);
        }

        return sb.Length == 0 ? "x" : sb.ToString();
    }
}
