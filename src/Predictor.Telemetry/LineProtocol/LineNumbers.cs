using System.Globalization;

namespace Predictor.Telemetry.LineProtocol;

/// <summary>Number syntax of line protocol, parsed without allocation.</summary>
internal static class LineNumbers
{
    private static readonly double[] PowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    public enum Result : byte { Ok, Syntax, Range }

    /// <summary>
    /// <c>-?(digits[.digits*]|.digits)([eE][+-]?digits)?</c>. Short decimals take the exact fast path
    /// (a mantissa below 2^53 times or divided by an exactly representable power of ten is correctly
    /// rounded); anything else goes to the BCL's correctly rounded parser.
    /// </summary>
    public static Result TryParseFloat(ReadOnlySpan<byte> s, out double value)
    {
        value = 0;
        var i = 0;
        var negative = false;
        if (i < s.Length && s[i] == (byte)'-')
        {
            negative = true;
            i++;
        }

        ulong mantissa = 0;
        var digits = 0;
        var significant = 0;
        var exponent = 0;
        for (; i < s.Length && IsDigit(s[i]); i++)
        {
            digits++;
            Accumulate(s[i], ref mantissa, ref significant, ref exponent, fractional: false);
        }

        if (i < s.Length && s[i] == (byte)'.')
        {
            for (i++; i < s.Length && IsDigit(s[i]); i++)
            {
                digits++;
                Accumulate(s[i], ref mantissa, ref significant, ref exponent, fractional: true);
            }
        }

        if (digits == 0)
        {
            return Result.Syntax;
        }

        if (i < s.Length && (s[i] | 0x20) == (byte)'e')
        {
            i++;
            var expNegative = false;
            if (i < s.Length && s[i] is (byte)'+' or (byte)'-')
            {
                expNegative = s[i] == (byte)'-';
                i++;
            }

            var expDigits = 0;
            var e = 0;
            for (; i < s.Length && IsDigit(s[i]); i++)
            {
                expDigits++;
                e = Math.Min(e * 10 + (s[i] - '0'), 100_000);
            }

            if (expDigits == 0)
            {
                return Result.Syntax;
            }

            exponent += expNegative ? -e : e;
        }

        if (i != s.Length)
        {
            return Result.Syntax;
        }

        if (significant <= 15 && exponent is >= -22 and <= 22)
        {
            double m = mantissa;
            value = exponent >= 0 ? m * PowersOfTen[exponent] : m / PowersOfTen[-exponent];
            value = negative ? -value : value;
            return Result.Ok;
        }

        value = double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
        return double.IsFinite(value) ? Result.Ok : Result.Range;
    }

    /// <summary><c>-?digits</c> into a signed 64-bit integer.</summary>
    public static Result TryParseInt64(ReadOnlySpan<byte> s, out long value)
    {
        value = 0;
        var negative = s.Length > 0 && s[0] == (byte)'-';
        var i = negative ? 1 : 0;
        if (i == s.Length)
        {
            return Result.Syntax;
        }

        ulong magnitude = 0;
        var overflow = false;
        for (; i < s.Length; i++)
        {
            if (!IsDigit(s[i]))
            {
                return Result.Syntax;
            }

            overflow |= magnitude > (ulong.MaxValue - 9) / 10;
            magnitude = unchecked(magnitude * 10 + (ulong)(s[i] - '0'));
        }

        var limit = negative ? 9_223_372_036_854_775_808UL : long.MaxValue;
        if (overflow || magnitude > limit)
        {
            return Result.Range;
        }

        value = negative ? unchecked((long)(0 - magnitude)) : (long)magnitude;
        return Result.Ok;
    }

    /// <summary><c>digits</c> into an unsigned 64-bit integer.</summary>
    public static Result TryParseUInt64(ReadOnlySpan<byte> s, out ulong value)
    {
        value = 0;
        if (s.Length == 0)
        {
            return Result.Syntax;
        }

        foreach (var b in s)
        {
            if (!IsDigit(b))
            {
                return Result.Syntax;
            }

            var d = (ulong)(b - '0');
            if (value > (ulong.MaxValue - d) / 10)
            {
                return Result.Range;
            }

            value = value * 10 + d;
        }

        return Result.Ok;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private static void Accumulate(byte digit, ref ulong mantissa, ref int significant, ref int exponent, bool fractional)
    {
        if (mantissa == 0 && digit == (byte)'0')
        {
            // Leading zeros are not significant; after the point they still shift the exponent.
            exponent -= fractional ? 1 : 0;
            return;
        }

        if (significant < 19)
        {
            mantissa = mantissa * 10 + (ulong)(digit - '0');
            significant++;
            exponent -= fractional ? 1 : 0;
        }
        else
        {
            // Past 19 digits the fast path is off anyway (significant > 15); only the count matters.
            significant++;
            exponent += fractional ? 0 : 1;
        }
    }
}
