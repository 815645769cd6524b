using Predictor.Learning.TimeSeries.Scoring;

namespace Predictor.Learning.TimeSeries.Novelty;

/// <summary>Options of <see cref="NoveltyDetector"/>. The defaults are one parameter set for every series (chosen on NAB, see README).</summary>
public sealed record NoveltyDetectorOptions
{
    /// <summary>Consecutive points that form one shape vector.</summary>
    /// <value>The default value is 2.</value>
    public int Dimension { get; init; } = 2;

    /// <summary>Earlier shape vectors the newest is compared with.</summary>
    /// <value>The default value is 6000.</value>
    public int History { get; init; } = 6000;

    /// <summary>Earlier nearest-neighbour distances a new distance is judged against (median and MAD).</summary>
    /// <value>The default value is 3000.</value>
    public int DistanceHistory { get; init; } = 3000;

    /// <summary>Distances needed before a point is scored.</summary>
    /// <value>The default value is 100.</value>
    public int WarmUp { get; init; } = 100;

    /// <summary>A score is reported only if no point of this many before it scored as high: one alert per episode.</summary>
    /// <value>The default value is 600.</value>
    public int SuppressionWindow { get; init; } = 600;

    /// <summary>Score in (0, 1) at or above which a reported point alerts.</summary>
    /// <value>The default value is 0.44 (the threshold NAB's optimiser chose for these defaults).</value>
    public double AlertScore { get; init; } = 0.44;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        OptionChecks.AtLeast(errors, nameof(Dimension), Dimension, 1);
        OptionChecks.AtLeast(errors, nameof(History), History, Dimension + 1);
        OptionChecks.AtLeast(errors, nameof(DistanceHistory), DistanceHistory, 2);
        OptionChecks.AtLeast(errors, nameof(WarmUp), WarmUp, 1);
        OptionChecks.AtLeast(errors, nameof(SuppressionWindow), SuppressionWindow, 0);
        if (!(AlertScore > 0 && AlertScore < 1))
        {
            errors.Add($"{nameof(AlertScore)} must be in (0, 1), got {AlertScore}");
        }

        return errors;
    }
}
