using System.Globalization;
using System.Text;

namespace Predictor.IntegrationTests.Push.Fidelity;

/// <summary>
/// The differential corpus: cases written for this project after reading InfluxDB's own parser tests (influxdata/influxdb
/// 1.x models/points_test.go: one group per test there, named after it) and the influxdata/line-protocol test corpus
/// (escapes in every position, control characters, odd numbers), plus what the issue found (precision, backslashes,
/// non-ASCII error text, write-time refusals) and the kind of lines a fleet sends. Each case is one or more writes.
/// </summary>
public static class FidelityCorpus
{
    private const string T = " 1767225600000000000";

    public static IReadOnlyList<FidelityCase> All { get; } = Build();

    private static List<FidelityCase> Build()
    {
        var c = new List<FidelityCase>();
        void V1(string id, string body, string precision = "") => c.Add(new(id, [new(false, precision, Encoding.UTF8.GetBytes(body))]));
        void V2(string id, string body, string precision = "") => c.Add(new(id, [new(true, precision, Encoding.UTF8.GetBytes(body))]));
        void Raw(string id, byte[] body) => c.Add(new(id, [new(false, "", body)]));
        void Many(string id, params string[] bodies) => c.Add(new(id, [.. bodies.Select(b => new FidelityRequest(false, "", Encoding.UTF8.GetBytes(b)))]));

        // --- empty bodies and blank lines (NoValue, WhitespaceValue, BlankLine)
        V1("empty", "");
        V1("blank-space", " ");
        V1("blank-newlines", "\n\n\n");
        V1("blank-tabs", "\t \t\n");
        V1("blank-between-lines", "cpu value=1i 1000000000\n\ncpu value=2i 2000000000");

        // --- no field section (NoFields)
        V1("nofields-tags", "cpu_load_short,host=server01,region=us-west");
        V1("nofields-name", "cpu");
        V1("nofields-tag-equals", "cpu,host==");
        V1("nofields-equals", "=");
        V1("nofields-trailing-space", "cpu ");
        V1("nofields-tag-trailing-space", "cpu,host=a ");

        // --- no timestamp (NoTimestamp): each server stamps its own time
        V1("notime-float", "cpu value=1");
        V1("notime-tags-two-fields", "cpu,host=a value=1,other=2i");
        V1("notime-batch", "cpu,host=a v=1\ncpu,host=b v=2\nmem,host=a free=3i");

        // --- unbalanced quotes (MissingQuote)
        V1("quote-open", "cpu,host=serverA value=\"test");
        V1("quote-three", "cpu,host=serverA value=\"test\"\"");
        V1("quote-open-swallows-next-line", "cpu s=\"open\ncpu v=2 2");
        V1("quote-open-then-close-next-line", "cpu s=\"open\nstill\" 3\ncpu v=2 2");

        // --- missing tag key (MissingTagKey)
        V1("tagkey-space", "cpu, value=1");
        V1("tagkey-trailing-comma", "cpu,");
        V1("tagkey-commas", "cpu,,,");
        V1("tagkey-empty-second", "cpu,host=serverA,=us-east value=1i");
        V1("tagkey-escaped-comma-value", @"cpu,host=serverAa\,,=us-east value=1i");
        V1("tagkey-escaped-comma-value-2", @"cpu,host=serverA\,,=us-east value=1i");
        V1("tagkey-space-equals", "cpu, =serverA value=1i");
        V1("tagkey-escaped-space-ok", @"cpu,host=serverA,\ =us-east value=1i" + T);

        // --- missing tag value (MissingTagValue)
        V1("tagvalue-key-only", "cpu,host");
        V1("tagvalue-key-comma", "cpu,host,");
        V1("tagvalue-equals-end", "cpu,host=");
        V1("tagvalue-key-then-fields", "cpu,host value=1i");
        V1("tagvalue-second-key-only", "cpu,host=serverA,region value=1i");
        V1("tagvalue-second-empty", "cpu,host=serverA,region= value=1i");
        V1("tagvalue-middle-empty", "cpu,host=serverA,region=,zone=us-west value=1i");

        // --- invalid tag format (InvalidTagFormat)
        V1("tagformat-equals", "cpu,host=f=o,");
        V1("tagformat-escaped-then-bare", @"cpu,host=f\==o,");
        V1("tagformat-equals-with-fields", "cpu,host=f=o value=1");
        V1("tagformat-escaped-ok", @"cpu,host=f\=o value=1" + T);
        V1("tagvalue-starts-with-equals", "cpu,a== value=1" + T);
        V1("tagvalue-equals-then-text", "cpu,a==b value=1" + T);
        V1("tagvalue-escaped-equals-only", @"cpu,a=\= value=1" + T);

        // --- missing field key (MissingFieldName)
        V1("fieldkey-bare-equals", "cpu,host=serverA,region=us-west =");
        V1("fieldkey-bare-value", "cpu,host=serverA,region=us-west =123i");
        V1("fieldkey-escaped-space-ok", @"cpu,host=serverA,region=us-west a\ =123i" + T);
        V1("fieldkey-second-empty", "cpu,host=serverA,region=us-west value=123i,=456i");

        // --- missing field value (MissingFieldValue)
        V1("fieldvalue-end", "cpu,host=serverA,region=us-west value=");
        V1("fieldvalue-space", "cpu,host=serverA,region=us-west value= 1000000000i");
        V1("fieldvalue-comma", "cpu,host=serverA,region=us-west value=,value2=1i");
        V1("fieldvalue-timestamp-as-field", "cpu,host=server01,region=us-west 1434055562000000000i");
        V1("fieldvalue-trailing-key", "cpu,host=server01,region=us-west value=1i,b");
        V1("fieldvalue-equals-after-string", "m f=\"blah\"=123,r 1531703600000000000");

        // --- bad numbers (BadNumber)
        V1("number-minus", "cpu v=- ");
        V1("number-minus-i", "cpu v=-i ");
        V1("number-minus-point", "cpu v=-. ");
        V1("number-point", "cpu v=. ");
        V1("number-float-i", "cpu v=1.0i ");
        V1("number-ii", "cpu v=1ii ");
        V1("number-letter", "cpu v=1a ");
        V1("number-e-chain", "cpu v=-e-e-e ");
        V1("number-plus-inside", "cpu v=42+3 ");
        V1("number-empty", "cpu v= ");
        V1("number-negative-unsigned", "cpu v=-123u");

        // --- integer bounds (MaxInt64, MinInt64)
        V1("int-max-plus-one", "cpu,host=serverA,region=us-west value=9223372036854775808i");
        V1("int-max", "cpu,host=serverA,region=us-west value=9223372036854775807i" + T);
        V1("int-max-leading-zeros", "cpu,host=serverA,region=us-west value=0009223372036854775807i" + T);
        V1("int-min-minus-one", "cpu,host=serverA,region=us-west value=-9223372036854775809i");
        V1("int-min", "cpu,host=serverA,region=us-west value=-9223372036854775808i" + T);
        V1("int-min-leading-zeros", "cpu,host=serverA,region=us-west value=-0009223372036854775808i" + T);

        // --- float bounds (MaxFloat64, MinFloat64): the largest double written out in full
        var maxFloat = double.MaxValue.ToString("F1", CultureInfo.InvariantCulture);
        V1("float-max", "cpu,host=serverA,region=us-west value=" + maxFloat + T);
        V1("float-max-times-ten", "cpu,host=serverA,region=us-west value=1" + maxFloat);
        V1("float-max-leading-zeros", "cpu,host=serverA,region=us-west value=0000" + maxFloat + T);
        V1("float-min", "cpu,host=serverA,region=us-west value=-" + maxFloat + T);
        V1("float-min-times-ten", "cpu,host=serverA,region=us-west value=-1" + maxFloat);
        V1("float-min-leading-zeros", "cpu,host=serverA,region=us-west value=-0000000" + maxFloat + T);

        // --- unsigned integers (MaxUint64, MinUint64): InfluxDB 1.x has none
        V1("uint-max-plus-one", "cpu,host=serverA,region=us-west value=18446744073709551616u");
        V1("uint-max", "cpu,host=serverA,region=us-west value=18446744073709551615u" + T);
        V1("uint-leading-zeros", "cpu,host=serverA,region=us-west value=00018446744073709551615u" + T);
        V1("uint-double-minus", "cpu,host=serverA,region=us-west value=--1u");
        V1("uint-zero", "cpu,host=serverA,region=us-west value=0u" + T);
        V1("uint-zeros", "cpu,host=serverA,region=us-west value=0000u" + T);
        V1("uint-beside-good-line", "cpu v=1u 1\ncpu v=2i 2");

        // --- number syntax (NumberNonNumeric, NegativeWrongPlace, OnlyNegativeSign, FloatMultipleDecimals, Integer, …)
        V1("number-point-letter", "cpu,host=serverA,region=us-west value=.1a");
        V1("number-minus-after-point", "cpu,host=serverA,region=us-west value=0.-1");
        V1("number-minus-end", "cpu,host=serverA,region=us-west value=-");
        V1("number-two-points", "cpu,host=serverA,region=us-west value=1.1.1");
        V1("number-int", "cpu,host=serverA,region=us-west value=1i" + T);
        V1("number-negative-int", "cpu,host=serverA,region=us-west value=-1i" + T);
        V1("number-negative-float", "cpu,host=serverA,region=us-west value=-1.0" + T);
        V1("number-no-leading-digit", "cpu,host=serverA,region=us-west value=.1" + T);
        V1("number-sci", "cpu,host=serverA,region=us-west value=1.0e4" + T);
        V1("number-sci-short", "cpu,host=serverA,region=us-west value=1e4" + T);
        V1("number-sci-upper", "cpu,host=serverA,region=us-west value=1.0E4" + T);
        V1("number-sci-upper-short", "cpu,host=serverA,region=us-west value=1E4" + T);
        V1("number-sci-negative-exponent", "cpu,host=serverA,region=us-west value=1.0e-4" + T);
        V1("number-sci-negative", "cpu,host=serverA,region=us-west value=-1.0e-4" + T);
        V1("number-bool-letter", "cpu,host=serverA,region=us-west value=a");
        V1("number-int-then-exponent", "cpu,host=serverA,region=us-west value=9ie10");
        V1("number-exponent-then-int", "cpu,host=serverA,region=us-west value=9e10i");
        V1("number-sci-plus", "cpu v=1e+4" + T);
        V1("number-point-exponent", "cpu v=1.e5" + T);
        V1("number-only-point-exponent", "cpu v=.e5");
        V1("number-exponent-no-digits", "cpu v=1e");
        V1("number-overflow-exponent", "cpu v=1e400");
        V1("number-underflow-exponent", "cpu v=1e-400" + T);
        V1("number-negative-zero", "cpu v=-0" + T);
        V1("number-hex", "cpu v=0x10");
        V1("number-underscore", "cpu v=1_000");
        V1("number-plus", "cpu v=+1");
        V1("number-inf", "cpu v=Inf");
        V1("number-minus-inf", "cpu v=-Inf");
        V1("number-thirty-digits", "cpu v=123456789012345678901234567890" + T);
        V1("number-max-sci", "cpu v=1.7976931348623157e308" + T);
        V1("number-smallest-denormal", "cpu v=4.9e-324" + T);
        V1("number-leading-zero-point", "cpu v=00.5" + T);
        V1("number-point-end", "cpu value=1." + T);
        V1("number-sci-six", "cpu value=6.632243e+06" + T);
        V1("number-int-large", "cpu value=6632243i" + T);
        V1("number-float-no-point", "cpu value=1" + T);
        V1("number-negative-decimal", "cpu value=-0.64" + T);

        // --- NaN (NaN)
        V1("nan-stamped", "cpu value=NaN 1000000000");
        V1("nan-mixed-case", "cpu value=nAn 1000000000");
        V1("nan", "cpu value=NaN");
        V1("nan-lower", "cpu value=nan");

        // --- whitespace (Whitespace), tabs and NULs
        V1("ws-before-fields", "cpu    value=1.0 1257894000000000000");
        V1("ws-before-time", "cpu value=1.0     1257894000000000000");
        V1("ws-both", "cpu      value=1.0     1257894000000000000");
        V1("ws-trailing", "cpu value=1.0 1257894000000000000   ");
        V1("ws-newline", "cpu value=1.0 1257894000000000000\n");
        V1("ws-before-fields-newline", "cpu   value=1.0 1257894000000000000\n");
        V1("ws-tab-leading", "\tcpu value=1 1");
        V1("ws-tab-in-measurement", "cpu\tvalue=1 1");
        V1("ws-tab-in-value", "cpu value=1\t1");
        V1("ws-tab-before-time", "cpu value=1 \t1");
        V1("ws-tab-trailing", "cpu value=1 1\t");
        V1("ws-tab-before-fields", "cpu \tvalue=1 1");
        V1("ws-nul-leading", "\0cpu value=1 1");
        V1("ws-nul-trailing", "cpu value=1 1 \0");
        V1("ws-nul-before-fields", "cpu \0value=1 1");
        V1("ws-trailing-no-time", "cpu value=1   ");

        // --- carriage returns: an ordinary byte to InfluxDB
        V1("crlf-timestamp", "cpu value=1 1\r\n");
        V1("crlf-value", "cpu value=1\r\n");
        V1("crlf-string", "cpu s=\"x\"\r\n");
        V1("crlf-batch", "cpu value=1 1\r\ncpu value=2 2\r\n");
        V1("cr-in-tag", "cpu,h=a\rb value=1 1");

        // --- escapes in names (Unescape)
        V1("esc-comma-measurement", @"foo\,bar value=1i" + T);
        V1("esc-comma-measurement-tags", @"cpu\,main,regions=east value=1.0" + T);
        V1("esc-space-measurement", @"cpu\ load,region=east value=1.0" + T);
        V1("esc-equals-measurement", @"cpu\=load,region=east value=1.0" + T);
        V1("esc-bare-equals-measurement", "cpu=load,region=east value=1.0" + T);
        V1("esc-comma-tagkey", @"cpu,region\,zone=east value=1.0" + T);
        V1("esc-space-tagkey", @"cpu,region\ zone=east value=1.0" + T);
        V1("esc-backslash-equals-tagkey", @"cpu,reg\\=ion=east value=1.0" + T);
        V1("esc-space-only-tagkey", @"cpu,\ =east value=1.0" + T);
        V1("esc-comma-tagvalue", @"cpu,regions=east\,west value=1.0" + T);
        V1("esc-backslash-space-tagvalue", @"cpu,regions=\\ east value=1.0" + T);
        V1("esc-backslash-space-mid-tagvalue", @"cpu,regions=eas\\ t value=1.0" + T);
        V1("esc-backslash-trailing-space-tagvalue", @"cpu,regions=east\\  value=1.0" + T);
        V1("esc-space-tagvalue", @"cpu,regions=east\ west value=1.0" + T);
        V1("esc-comma-fieldkey", @"cpu,regions=east value\,ms=1.0" + T);
        V1("esc-space-fieldkey", @"cpu,regions=east value\ ms=1.0" + T);
        V1("esc-comma-in-string", "cpu,regions=east value=\"1,0\"" + T);
        V1("esc-unknown-tagvalue", @"cpu,regions=eas\t value=1.0" + T);
        V1("esc-mixed-tagvalue", @"cpu,regions=\\,\,\=east value=1.0" + T);
        V1("esc-unknown-fieldkey", @"cpu \a=1i" + T);
        V1("esc-equals-everywhere", @"cpu=load,equals\=foo=tag\=value value=1i" + T);
        V1("esc-backslash-space-measurement", @"cpu\\ value=42");
        V1("esc-backslash-comma-measurement", @"c\\,pu value=42" + T);
        V1("esc-space-measurement-short", @"c\ pu value=42" + T);
        V1("esc-comma-fieldkey-short", @"cpu va\,lue=42" + T);
        V1("esc-backslash-space-tag-words", @"cpu,host=two\\ words value=42" + T);
        V1("esc-three-backslashes-space", @"cpu,host=two\\\ words value=42" + T);
        V1("esc-space-tagkey-end", @"m,hi\ yo\ =w\,est,server=a x=1" + T);
        V1("esc-equals-tagkey", @"m,re\=gion=west,server=a x=1" + T);
        V1("esc-comma-only-tagvalue", @"cpu,tag0=\, value=1" + T);
        V1("esc-comma-then-digit-tagvalue", @"cpu,tag0=\,1 value=1" + T);
        V1("esc-space-tagkey-comma-value", @"cpu,ta\ g0=\, value=1" + T);
        V1("esc-backslash-equals-fieldkey", @"cpu a\\=1");
        V1("esc-backslash-equals-fieldkey-more", @"cpu a\\=1,b=2" + T);
        V1("esc-quote-measurement", @"cpu\""q v=1" + T);
        V1("esc-quote-everywhere", @"c\""pu,x\""y=1 v\""k=1" + T);
        V1("esc-quote-fieldkey", @"cpu a\""b=1" + T);
        V1("esc-equals-fieldkey", @"cpu a\=b=1" + T);
        V1("esc-backslash-fieldkey", @"cpu a\\b=1" + T);
        V1("esc-comma-fieldkey-two", @"cpu a\,b=1,c=2" + T);
        V1("esc-backslash-end-tagvalue", @"cpu,t=a\ v=1");
        V1("esc-double-backslash-tag-then-fields", @"cpu,t=a\\ v=1 1");
        V1("esc-backslash-newline-joins", "cpu v=1 1\\\ncpu v=2 2");
        V1("esc-backslash-at-end", "cpu v=1 1\\");

        // --- tags (WithTags, WithDuplicateTags, KeyUnsorted, LargeNumberOfTags, QuotedTags, QuotesInTags, UnbalancedQuotedTags)
        V1("tags-two", "cpu,host=serverA,region=us-east value=1.0 1000000000");
        V1("tags-duplicate", "cpu,host=serverA,host=serverB value=1i 1000000000");
        V1("tags-duplicate-unsorted", "cpu,b=2,b=1,c=3 value=1i 1000000000");
        V1("tags-duplicate-apart", "cpu,b=2,c=3,b=1 value=1i 1000000000");
        V1("tags-duplicate-escaped-differently", @"cpu,a=1,\a=2 v=1" + T);
        V1("tags-unsorted", "cpu,last=1,first=2 value=1i" + T);
        V1("tags-255", "cpu" + string.Concat(Enumerable.Range(0, 255).Select(i => $",tag{i}=value{i}")) + " value=1" + T);
        V1("tags-quoted-measurement", "\"cpu\",host=serverA,region=us-east value=1.0 1000000000");
        V1("tags-quoted", "cpu,\"host\"=\"serverA\",region=us-east value=1.0 1000000000");
        V1("tags-quote-in-value", "t159,label=hey\\ \"ya a=1i,value=0i\nt159,label=another a=2i,value=1i 1");
        V1("tags-unbalanced-quote", "baz,mytag=\"a x=1 1441103862125\nbaz,mytag=a z=1 1441103862126");
        V1("tags-measurement-named-tag", "cpu,tag0=v0,_measurement=v0 value=1" + T);
        V1("tags-field-named-tag", "cpu,tag0=v0,_field=v0 value=1" + T);
        V1("tags-same-key-as-field", "cpu,v=tag v=1" + T);

        // --- string fields (WithStringField … UnicodeString)
        V1("str-three-fields", "cpu,host=serverA,region=us-east value=1.0,str=\"foo\",str2=\"bar\" 1000000000");
        V1("str-escaped-quote", "cpu,host=serverA,region=us-east str=\"foo \\\" bar\" 1000000000");
        V1("str-space", "cpu,host=serverA,region=us-east value=1.0,str=\"foo bar\" 1000000000");
        V1("str-newline", "cpu,host=serverA,region=us-east value=1.0,str=\"foo\nbar\" 1000000000");
        V1("str-escaped-comma", "cpu,host=serverA,region=us-east value=1.0,str=\"foo\\,bar\" 1000000000");
        V1("str-comma", "cpu,host=serverA,region=us-east value=1.0,str=\"foo,bar\" 1000000000");
        V1("str-trailing-backslash", "cpu,host=serverA,region=us-east str=\"foo\\\\\",str2=\"bar\" 1000000000");
        V1("str-braces", "cpu,host=serverA,region=us-east value=\"{Hello\\\"{,}\\\" World}\" 1000000000");
        V1("str-braces-escaped-comma", "cpu,host=serverA,region=us-east value=\"{Hello\\\"{\\,}\\\" World}\" 1000000000");
        V1("str-equals", "cpu,host=serverA,region=us-east str=\"foo=bar\",value=1.0 1000000000");
        V1("str-backslash-quote", "cpu value=\"test\\\\\\\"\" 1000000000");
        V1("str-backslash", "cpu value=\"test\\\\\" 1000000000");
        V1("str-quote", "cpu value=\"test\\\"\" 1000000000");
        V1("str-unicode", "cpu,host=serverA,region=us-east value=\"wè\" 1000000000");
        V1("str-text-after-close", "cpu v=\"x\"y" + T);
        V1("str-text-after-close-then-field", "cpu v=\"x\"y,w=1" + T);
        V1("str-empty", "cpu v=\"\"" + T);
        V1("str-two-backslashes", "cpu v=\"\\\\\\\\\"" + T);
        V1("str-cr", "m v=\"\\r\"" + T);
        V1("str-unknown-escape", "m v=\"a\\tb\\n\"" + T);
        V1("str-long", "m v=\"" + new string('x', 70_000) + "\"" + T);
        V1("str-quote-in-middle", "cpu v=\"a\"b\"c\"" + T);

        // --- booleans (WithBoolField, BooleanInvalid)
        V1("bool-all", "cpu,host=serverA,region=us-east true=true,t=t,T=T,TRUE=TRUE,True=True,false=false,f=f,F=F,FALSE=FALSE,False=False 1000000000");
        V1("bool-mixed-case", "cpu v=tRUE");
        V1("bool-short", "cpu v=tru");
        V1("bool-long", "cpu v=Falsey");
        V1("bool-digit", "cpu v=t1");

        // --- timestamps (NegativeTimestamp, MaxTimestamp, MinTimestamp, InvalidTimestamp, TrailingSlash)
        V1("time-negative", "cpu value=1 -1");
        V1("time-max", "cpu value=1 9223372036854775806");
        V1("time-min", "cpu value=1 -9223372036854775806");
        V1("time-max-plus-one", "cpu value=1 9223372036854775807");
        V1("time-overflow", "cpu value=1 9223372036854775808");
        V1("time-negative-overflow", "cpu value=1 -92233720368547758078");
        V1("time-minus", "cpu value=1 -");
        V1("time-minus-slash", "cpu value=1 -/");
        V1("time-question", "cpu value=1 -1?");
        V1("time-trailing-minus", "cpu value=1 1-");
        V1("time-two", "cpu value=1 9223372036854775807 12");
        V1("time-two-small", "cpu value=1 1 2");
        V1("time-trailing-backslash", "a v=1 0\\");
        V1("time-zero", "cpu value=1 0");
        V1("time-minus-zero", "cpu value=1 -0");
        V1("time-leading-zero", "cpu value=1 01");
        V1("time-plus", "cpu value=1 +1");
        V1("time-float", "cpu value=1 1.5");
        V1("time-int-suffix", "cpu value=1 1i");

        // --- precision (WithPrecision, WithPrecisionNoTime)
        V1("prec-default", "cpu,host=serverA,region=us-east value=1.0 946730096789012345");
        V1("prec-n", "cpu,host=serverA,region=us-east value=1.0 946730096789012345", "n");
        V1("prec-ns", "cpu,host=serverA,region=us-east value=1.0 946730096789012345", "ns");
        V1("prec-u", "cpu,host=serverA,region=us-east value=1.0 946730096789012", "u");
        V1("prec-ms", "cpu,host=serverA,region=us-east value=1.0 946730096789", "ms");
        V1("prec-s", "cpu,host=serverA,region=us-east value=1.0 946730096", "s");
        V1("prec-m", "cpu,host=serverA,region=us-east value=1.0 15778834", "m");
        V1("prec-h", "cpu,host=serverA,region=us-east value=1.0 262980", "h");
        V1("prec-notime-u", "cpu,host=serverA value=1.0", "u");
        V1("prec-notime-ms", "cpu,host=serverA value=1.0", "ms");
        V1("prec-notime-s", "cpu,host=serverA value=1.0", "s");
        V1("prec-notime-m", "cpu,host=serverA value=1.0", "m");
        V1("prec-notime-h", "cpu,host=serverA value=1.0", "h");
        V1("prec-s-out-of-range", "cpu value=1 9300000000000", "s");
        V1("prec-h-negative", "cpu value=1 -2000", "h");
        V1("prec-u-spelled-us", "cpu value=1.0 946730096789012", "us");
        V1("prec-unknown", "cpu value=1.0 946730096789012345", "x");

        // --- the v2 API (compared with InfluxDB 1.x's /write at the same precision)
        V2("v2-default", "cpu,host=a value=1.0 946730096789012345");
        V2("v2-ns", "cpu,host=a value=1.0 946730096789012345", "ns");
        V2("v2-us", "cpu,host=a value=1.0 946730096789012", "us");
        V2("v2-ms", "cpu,host=a value=1.0 946730096789", "ms");
        V2("v2-s", "cpu,host=a value=1.0 946730096", "s");
        V2("v2-notime-us", "cpu,host=a value=1.0", "us");
        V2("v2-partial", "cpu v=1 1\ncpu v= 2\ncpu v=3 3", "s");
        V2("v2-escapes", @"cpu,regions=\\ east value=1 1", "s");

        // --- comments (WithPrecisionComments)
        V1("comment-first", "# comment\ncpu value=1 1");
        V1("comment-indented", "  # indented\ncpu v=1 1");
        V1("comment-point", "#cpu v=1 1\ncpu v=2 2");
        V1("comment-only", "# just a comment");
        V1("comment-with-open-quote", "# a b=\"x\ncpu v=1 1\n\"\ncpu v=2 2");
        V1("comment-between", "cpu v=1 1\n# middle\ncpu v=2 2\n# end\n");

        // --- quotes in field keys (QuotesInFieldKey)
        V1("fieldkey-quote", "cpu \"a=1\ncpu value=2 1");
        V1("fieldkey-quote-garbage", @"cpu ""\, '= ""\ v=1.0");
        V1("fieldkey-quote-second", "cpu a=1,\"b\"=2" + T);

        // --- series key bound (NewPointsRejectsMaxKey): 65,535 bytes with the field key and its 4-byte separator
        var longName = new string('a', 65535 - "value".Length - 4);
        V1("maxkey-at-bound", longName + " value=1,ok=2.0" + T);
        V1("maxkey-over-bound", longName + "a value=1,ok=2.0" + T);
        V1("maxkey-tags-over", "m,t=" + new string('v', 65535) + " value=1" + T);
        V1("maxkey-long-field-over", "m " + new string('f', 65535) + "=1" + T);
        V1("maxkey-over-beside-good", longName + "a value=1" + T + "\ncpu v=1" + T);

        // --- what InfluxDB refuses only when it stores a parsed line
        V1("write-time-tag", "cpu,time=a value=1" + T);
        V1("write-time-tag-beside-good", "cpu,time=a value=1 1\ncpu,host=a value=2 2");
        V1("write-time-escaped-tag", @"cpu,ti\me=a value=1" + T);
        V1("write-time-field-only", "cpu time=1" + T);
        V1("write-time-field-with-other", "cpu time=1,v=2" + T);
        V1("write-time-field-two", "cpu time=1,time=2" + T);
        V1("write-conflict-in-batch", "cpu a=1 1\ncpu a=\"x\" 2");
        V1("write-conflict-in-line", "cpu a=1,a=\"x\" 1");
        V1("write-duplicate-field", "cpu a=1,a=2 1");
        V1("write-conflict-other-shard", "cpu a=1 1\ncpu a=\"x\" 700000000000000000");
        V1("write-conflict-other-measurement", "cpu a=1 1\nmem a=\"x\" 2");
        V1("write-conflict-int-float", "cpu a=1i 1\ncpu a=2 2\ncpu b=3 3");
        Many("write-conflict-across-writes", "cpu a=1 1", "cpu a=\"x\" 2\ncpu a=3 3\ncpu b=1 4");
        Many("write-same-point-twice", "cpu a=1 1", "cpu a=2 1");

        // --- bytes that are not UTF-8, and error text that is not ASCII
        Raw("utf8-invalid-tag", [.. "cpu,h="u8, 0xff, 0xfe, .. " v=1 1"u8]);
        Raw("utf8-invalid-measurement", [.. "cp"u8, 0xc3, .. " v=1 1"u8]);
        Raw("utf8-invalid-tagkey", [.. "cpu,t"u8, 0x80, .. "=a v=1 1"u8]);
        Raw("utf8-invalid-fieldkey", [.. "cpu v"u8, 0x80, .. "=1 1"u8]);
        Raw("utf8-invalid-string", [.. "cpu v=\""u8, 0xff, .. "\" 1"u8]);
        Raw("utf8-invalid-in-bad-line", [.. "cpu,h="u8, 0xff, .. " v=oops 1\ncpu v=1 1"u8]);
        V1("nonascii-error", "cpu,host=é v=abc 1");
        V1("nonascii-error-partial", "cpu,host=é v=abc 1\ncpu,host=é v=1 2");
        V1("nonascii-names", "温度,主机=h1 值=1 1");
        V1("nonascii-emoji", "m😀,t😀=v😀 f😀=\"😀\" 1");

        // --- the line-protocol corpus's kinds of lines: control characters, odd spacing, mixed types
        V1("lp-vt-measurement", "m\vx v=1 1");
        V1("lp-vt-tagkey", "m,t\vk=v v=1 1");
        V1("lp-ff-fieldkey", "m f\fk=1 1");
        V1("lp-bell-tagvalue", "m,t=a\ab v=1 1");
        V1("lp-del-measurement", "m\u007f v=1 1");
        V1("lp-field-time-short", "m v=42i,f=42 36");
        V1("lp-int-zero", "m,k=v f=0i" + T);
        V1("lp-long-invalid-value", "cpu " + string.Concat(Enumerable.Repeat("ab", 1024)) + "=x");
        V1("lp-all-types", "m v=1,v2=2i,v3=\"x\",v4=t" + T);
        V1("lp-many-lines-some-bad", "m v=1 1\nm v=x 2\nm,t=a v=3 3\nm v=4i 4\nm v=5 5 5\nm v=6 6");
        V1("lp-equals-in-measurement-start", "=m v=1" + T);
        V1("lp-comma-measurement-start", ",m v=1" + T);
        V1("lp-quote-measurement-only", "\" v=1" + T);
        V1("lp-backslash-measurement-only", "\\ v=1" + T);
        V1("lp-field-value-comma-end", "m v=1," + T);
        V1("lp-field-space-comma", "m v=1, w=2" + T);
        V1("lp-tag-then-two-spaces", "m,t=a  v=1" + T);
        V1("lp-hash-in-middle", "m,t=#a v=1 1");
        V1("lp-hash-measurement-after-space", " #m v=1 1");

        // --- partial writes: good and bad lines mixed
        V1("partial-first-bad", "cpu v= 1\ncpu v=2 2");
        V1("partial-last-bad", "cpu v=1 1\ncpu v=2 2\ncpu v=x 3");
        V1("partial-all-bad", "cpu v= 1\ncpu v=x 2");
        V1("partial-alternating", "cpu v=1 1\nbad\ncpu v=2 2\nbad2\ncpu v=3 3");

        // --- a fleet's lines (Telegraf's smart, ipmi, net; the simulator's)
        V1("fleet-smart", "smart,host=h0001,disk=sda smart_5_raw=0i,smart_187_raw=0i,smart_194_raw=33i,smart_197_raw=0i,smart_9_raw=7499i 1767225600", "s");
        V1("fleet-ipmi", @"ipmi_sensor,host=h0002,name=fan_1,unit=rpm,status=ok value=8400 1767225600000000000");
        V1("fleet-ipmi-escaped-name", @"ipmi_sensor,host=h0002,name=CPU\ 1\ Temp,unit=degrees_c value=61 1767225600000000000");
        V1("fleet-net", "net,host=h0003,interface=eth0 bytes_recv=123456789i,err_in=0i,drop_in=12i 1767225600000", "ms");
        V1("fleet-batch", string.Concat(Enumerable.Range(0, 200).Select(i => $"host,host=h{i:D4} cpu_temp_c={40 + i % 30}.5,mce_total={i}i,cpu_load=0.{i % 10} 1767225600\n")), "s");
        V1("fleet-memory-notime", "memory,host=h0004,dimm=A1 mem_ce_total=17i\nmemory,host=h0004,dimm=A2 mem_ce_total=0i");

        return c;
    }
}
