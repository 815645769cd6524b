using System.Numerics;
using System.Runtime.InteropServices;
using Predictor.Learning.TimeSeries.Scoring;

namespace Predictor.Learning.TimeSeries.SpectralResidual;

/// <summary>Options of <see cref="SrCnnDetector"/>; names and defaults are ML.NET's <c>DetectAnomalyBySrCnn</c>.</summary>
public sealed record SrCnnDetectorOptions
{
    /// <summary>Number of newest points the saliency map is computed over.</summary>
    /// <value>The default value is 64.</value>
    public int WindowSize { get; init; } = 64;

    /// <summary>Number of extrapolated points appended after the newest one (the extended-point trick).</summary>
    /// <value>The default value is 5.</value>
    public int BackAddWindowSize { get; init; } = 5;

    /// <summary>Number of previous points the extrapolation uses; at most WindowSize − 2.</summary>
    /// <value>The default value is 5.</value>
    public int LookaheadWindowSize { get; init; } = 5;

    /// <summary>Width of the moving average of the log-amplitude spectrum; at most WindowSize.</summary>
    /// <value>The default value is 3.</value>
    public int AveragingWindowSize { get; init; } = 3;

    /// <summary>Number of saliency values the newest one is compared with; at most WindowSize.</summary>
    /// <value>The default value is 21.</value>
    public int JudgementWindowSize { get; init; } = 21;

    /// <summary>Score in [0, 1] above which a point alerts.</summary>
    /// <value>The default value is 0.3.</value>
    public double Threshold { get; init; } = 0.3;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        OptionChecks.AtLeast(errors, nameof(WindowSize), WindowSize, 4);
        OptionChecks.AtLeast(errors, nameof(BackAddWindowSize), BackAddWindowSize, 1);
        if (LookaheadWindowSize < 1 || LookaheadWindowSize > WindowSize - 2)
        {
            errors.Add($"{nameof(LookaheadWindowSize)} must be in [1, {nameof(WindowSize)} − 2 = {WindowSize - 2}], got {LookaheadWindowSize}");
        }

        if (AveragingWindowSize < 1 || AveragingWindowSize > WindowSize)
        {
            errors.Add($"{nameof(AveragingWindowSize)} must be in [1, {nameof(WindowSize)} = {WindowSize}], got {AveragingWindowSize}");
        }

        if (JudgementWindowSize < 1 || JudgementWindowSize > WindowSize)
        {
            errors.Add($"{nameof(JudgementWindowSize)} must be in [1, {nameof(WindowSize)} = {WindowSize}], got {JudgementWindowSize}");
        }

        if (!(Threshold >= 0 && Threshold <= 1))
        {
            errors.Add($"{nameof(Threshold)} must be in [0, 1], got {Threshold}");
        }

        return errors;
    }
}

/// <summary>
/// Streaming spectral residual (ML.NET <c>SrCnnAnomalyDetector</c>, Ren et al., arXiv:1906.03821). For each new
/// point the newest <c>WindowSize</c> values are extended by <c>BackAddWindowSize</c> copies of an extrapolated
/// value (<c>x[m−L] + Σᵢ (x[m−1] − x[i]) / (m−1−i)</c> over the <c>LookaheadWindowSize + 1</c> values before the
/// newest, as ML.NET does); the saliency map is the magnitude of the inverse DFT of <c>exp(L(f) − AL(f) + iP(f))</c>
/// with L the log-amplitude spectrum, AL its trailing moving average over <c>AveragingWindowSize</c> bins and P the
/// phase; the raw score of the newest point is <c>|S − S̄| / S̄ / 10</c> with S̄ the mean saliency of the last
/// <c>JudgementWindowSize</c> points, and the point alerts when the score clamped to [0, 1] exceeds
/// <c>Threshold</c>. Outputs Alert, Raw Score, Mag. The first <c>WindowSize − 1</c> points score nothing.
/// The DFTs use precomputed tables (forward over half the spectrum thanks to the real input, inverse only at
/// the judged positions), so a point costs O(N·(N/2 + J)) multiply-adds in SIMD with no allocation.
/// </summary>
public sealed class SrCnnDetector : IStreamingAnomalyDetector
{
    private const float Epsilon = 1e-8f;
    private readonly int _window;
    private readonly int _length;
    private readonly int _padded;
    private readonly int _half;
    private readonly int _judged;
    private readonly float[] _ring;
    private readonly float[] _frame;
    private readonly float[][] _cos;
    private readonly float[][] _sin;
    private readonly float[][] _invCos;
    private readonly float[][] _invSin;
    private readonly float[] _re;
    private readonly float[] _im;
    private readonly float[] _logMag;
    private readonly float[] _gain;
    private readonly float[] _tRe;
    private readonly float[] _tIm;
    private readonly float[] _predict;
    private int _start;
    private int _count;

    public SrCnnDetector(SrCnnDetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        DetectorOptionsException.ThrowIfAny([.. options.Validate()]);
        Options = options;
        _window = options.WindowSize;
        _length = options.WindowSize + options.BackAddWindowSize;
        _padded = (_length + Vector<float>.Count - 1) / Vector<float>.Count * Vector<float>.Count;
        _half = _length / 2;
        _judged = options.JudgementWindowSize;
        _ring = new float[_window];
        _frame = new float[_padded];
        _re = new float[_length];
        _im = new float[_length];
        _logMag = new float[_length];
        _gain = new float[_padded];
        _tRe = new float[_padded];
        _tIm = new float[_padded];
        _predict = new float[options.LookaheadWindowSize + 1];

        // Forward DFT rows for bins 0…N/2 (the rest mirror them: the input is real), zero past N.
        _cos = new float[_half + 1][];
        _sin = new float[_half + 1][];
        for (int k = 0; k <= _half; k++)
        {
            (_cos[k], _sin[k]) = Twiddles(k);
        }

        // Inverse DFT rows for the judged positions window−judged … window−1 only.
        _invCos = new float[_judged][];
        _invSin = new float[_judged][];
        for (int r = 0; r < _judged; r++)
        {
            (_invCos[r], _invSin[r]) = Twiddles(_window - _judged + r);
        }
    }

    private (float[] Cos, float[] Sin) Twiddles(int index)
    {
        var cos = new float[_padded];
        var sin = new float[_padded];
        for (int n = 0; n < _length; n++)
        {
            double angle = 2 * Math.PI * ((long)index * n % _length) / _length;
            cos[n] = (float)Math.Cos(angle);
            sin[n] = (float)Math.Sin(angle);
        }

        return (cos, sin);
    }

    public SrCnnDetectorOptions Options { get; }

    public AnomalyScore Update(double value)
    {
        if (double.IsNaN(value))
        {
            return AnomalyScore.None;
        }

        if (_count < _window)
        {
            _ring[(_start + _count) % _window] = (float)value;
            _count++;
        }
        else
        {
            _ring[_start] = (float)value;
            _start = (_start + 1) % _window;
        }

        if (_count < _window)
        {
            return AnomalyScore.None;
        }

        int firstPart = _window - _start;
        _ring.AsSpan(_start, firstPart).CopyTo(_frame);
        _ring.AsSpan(0, _start).CopyTo(_frame.AsSpan(firstPart));
        float extrapolated = Extrapolate();
        _frame.AsSpan(_window, _length - _window).Fill(extrapolated);
        return Score();
    }

    private float Extrapolate()
    {
        int m = _predict.Length;
        _frame.AsSpan(_window - m - 1, m).CopyTo(_predict);
        float last = _predict[m - 1];
        float slopeSum = 0;
        for (int i = 0; i < m - 1; i++)
        {
            slopeSum += (last - _predict[i]) / (m - 1 - i);
        }

        return _predict[1] + slopeSum;
    }

    private AnomalyScore Score()
    {
        int n = _length;
        var frame = MemoryMarshal.Cast<float, Vector<float>>(_frame.AsSpan());
        for (int k = 0; k <= _half; k++)
        {
            var cos = MemoryMarshal.Cast<float, Vector<float>>(_cos[k].AsSpan());
            var sin = MemoryMarshal.Cast<float, Vector<float>>(_sin[k].AsSpan());
            var accRe = Vector<float>.Zero;
            var accIm = Vector<float>.Zero;
            for (int v = 0; v < frame.Length; v++)
            {
                accRe += frame[v] * cos[v];
                accIm += frame[v] * sin[v];
            }

            float re = Vector.Sum(accRe);
            float im = -Vector.Sum(accIm);
            _re[k] = re;
            _im[k] = im;
            float power = (re * re) + (im * im);
            _logMag[k] = power > Epsilon * Epsilon ? 0.5f * MathF.Log(power) : 0;
        }

        for (int k = _half + 1; k < n; k++)
        {
            int mirror = n - k;
            _re[k] = _re[mirror];
            _im[k] = -_im[mirror];
            _logMag[k] = _logMag[mirror];
        }

        // exp(L − AL)/|X| = exp(−AL) since |X| = exp(L); bins whose magnitude is ~0 are dropped.
        int avg = Options.AveragingWindowSize;
        float running = 0;
        for (int k = 0; k < n; k++)
        {
            running += _logMag[k];
            if (k >= avg)
            {
                running -= _logMag[k - avg];
            }

            _gain[k] = -running / Math.Min(k + 1, avg);
        }

        var gains = MemoryMarshal.Cast<float, Vector<float>>(_gain.AsSpan());
        for (int v = 0; v < gains.Length; v++)
        {
            gains[v] = Vector.Exp(gains[v]);
        }

        for (int k = 0; k < n; k++)
        {
            float gain = _logMag[k] != 0 ? _gain[k] : 0;
            _tRe[k] = _re[k] * gain;
            _tIm[k] = _im[k] * gain;
        }

        var tRe = MemoryMarshal.Cast<float, Vector<float>>(_tRe.AsSpan());
        var tIm = MemoryMarshal.Cast<float, Vector<float>>(_tIm.AsSpan());
        float inverseN = 1f / n;
        float saliencySum = 0;
        float newest = 0;
        for (int r = 0; r < _judged; r++)
        {
            var cos = MemoryMarshal.Cast<float, Vector<float>>(_invCos[r].AsSpan());
            var sin = MemoryMarshal.Cast<float, Vector<float>>(_invSin[r].AsSpan());
            var reCos = Vector<float>.Zero;
            var imSin = Vector<float>.Zero;
            var reSin = Vector<float>.Zero;
            var imCos = Vector<float>.Zero;
            for (int v = 0; v < tRe.Length; v++)
            {
                reCos += tRe[v] * cos[v];
                imSin += tIm[v] * sin[v];
                reSin += tRe[v] * sin[v];
                imCos += tIm[v] * cos[v];
            }

            float re = Vector.Sum(reCos) - Vector.Sum(imSin);
            float im = Vector.Sum(reSin) + Vector.Sum(imCos);
            float s = MathF.Sqrt((re * re) + (im * im)) * inverseN;
            saliencySum += s;
            newest = s;
        }

        double average = saliencySum / _judged;
        double divisor = Math.Max(average, Epsilon);
        double raw = Math.Abs(newest - average) / divisor / 10.0;
        double score = Math.Clamp(raw, 0, 1);
        return new AnomalyScore(score > Options.Threshold, raw, double.NaN, double.NaN, newest, score);
    }
}
