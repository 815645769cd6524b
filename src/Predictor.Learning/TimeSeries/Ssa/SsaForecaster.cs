using MathNet.Numerics.Distributions;
using Predictor.Learning.TimeSeries.Scoring;

namespace Predictor.Learning.TimeSeries.Ssa;

/// <summary>Options of <see cref="SsaForecaster"/>; names and defaults follow ML.NET's <c>ForecastBySsa</c>.</summary>
public sealed record SsaForecasterOptions
{
    /// <summary>SSA window (embedding dimension); at least 2.</summary>
    /// <value>The default value is 10.</value>
    public int WindowSize { get; init; } = 10;

    /// <summary>Number of points the model is trained on; must exceed 2·WindowSize.</summary>
    /// <value>The default value is 100.</value>
    public int TrainSize { get; init; } = 100;

    /// <summary>Number of values to forecast.</summary>
    /// <value>The default value is 1.</value>
    public int Horizon { get; init; } = 1;

    /// <summary>Confidence level of the bounds, in (0, 1).</summary>
    /// <value>The default value is 0.95.</value>
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>Signal rank, or null to select it from the training series (up to WindowSize/2).</summary>
    /// <value>The default value is null.</value>
    public int? Rank { get; init; }

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        OptionChecks.AtLeast(errors, nameof(WindowSize), WindowSize, 2);
        OptionChecks.AtLeast(errors, nameof(TrainSize), TrainSize, (2 * WindowSize) + 1);
        OptionChecks.AtLeast(errors, nameof(Horizon), Horizon, 1);
        if (!(ConfidenceLevel > 0 && ConfidenceLevel < 1))
        {
            errors.Add($"{nameof(ConfidenceLevel)} must be in (0, 1), got {ConfidenceLevel}");
        }

        if (Rank is { } rank && (rank < 1 || rank >= WindowSize))
        {
            errors.Add($"{nameof(Rank)} must be in [1, {WindowSize - 1}], got {rank}");
        }

        return errors;
    }
}

/// <summary>A forecast with its confidence bounds.</summary>
public sealed record SsaForecast(IReadOnlyList<double> Point, IReadOnlyList<double> Lower, IReadOnlyList<double> Upper);

/// <summary>
/// SSA forecasting with confidence bounds: trained on the last <c>TrainSize</c> points given, updated point by point,
/// forecasting <c>Horizon</c> values by the linear recurrence. The bound at step h is
/// <c>±z·σ·√(Σⱼ&lt;h ψⱼ²)</c>, with σ² the variance of the one-step training errors, z the normal quantile of
/// <c>(1 + ConfidenceLevel)/2</c>, and ψ the impulse response of the recurrence (ψ₀ = 1, ψⱼ = Σ αₗ·ψⱼ₋ₗ).
/// </summary>
public sealed class SsaForecaster
{
    private readonly SsaModel _model;
    private readonly double[] _psi;

    public SsaForecaster(ReadOnlySpan<double> training, SsaForecasterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate().ToList();
        if (training.Length < options.TrainSize)
        {
            errors.Add($"training series has {training.Length} points, {nameof(options.TrainSize)} needs {options.TrainSize}");
        }

        DetectorOptionsException.ThrowIfAny(errors);
        Options = options;
        _model = SsaModel.Train(training[^options.TrainSize..], options.WindowSize, options.Rank, options.WindowSize / 2);
        var alpha = _model.RecurrenceCoefficients;
        int l = alpha.Length;
        _psi = new double[options.Horizon];
        _psi[0] = 1;
        for (int j = 1; j < _psi.Length; j++)
        {
            double sum = 0;
            for (int m = 1; m <= Math.Min(j, l); m++)
            {
                sum += alpha[l - m] * _psi[j - m];
            }

            _psi[j] = sum;
        }
    }

    public SsaForecasterOptions Options { get; }

    /// <summary>The selected signal rank.</summary>
    public int Rank => _model.Rank;

    /// <summary>Consumes the next observed value.</summary>
    public void Update(double value) => _model.Consume(value);

    public SsaForecast Forecast()
    {
        int horizon = Options.Horizon;
        var point = new double[horizon];
        _model.Forecast(point);
        double z = Normal.InvCDF(0, 1, (1 + Options.ConfidenceLevel) / 2);
        double sigma = Math.Sqrt(_model.ResidualVariance);
        var lower = new double[horizon];
        var upper = new double[horizon];
        double cumulative = 0;
        for (int h = 0; h < horizon; h++)
        {
            cumulative += _psi[h] * _psi[h];
            double half = z * sigma * Math.Sqrt(cumulative);
            lower[h] = point[h] - half;
            upper[h] = point[h] + half;
        }

        return new SsaForecast(point, lower, upper);
    }
}
