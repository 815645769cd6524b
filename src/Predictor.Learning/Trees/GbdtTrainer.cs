using System.Runtime.Intrinsics.X86;
using Predictor.Learning.Data;

namespace Predictor.Learning.Trees;

/// <summary>
/// Gradient boosting of <see cref="RegressionTree"/>s on the logistic loss with Newton leaf values
/// <c>-G/(H+λ)·η</c>. Deterministic for a seed and, because gradients are summed as exact fixed-point integers
/// (<see cref="QuantizedGradients"/>), bitwise identical for any thread count.
/// </summary>
internal sealed class GbdtTrainer
{
    private readonly GbdtOptions _options;
    private readonly TimeProvider _time;

    public GbdtTrainer(GbdtOptions options)
        : this(options, TimeProvider.System)
    {
    }

    public GbdtTrainer(GbdtOptions options, TimeProvider time)
    {
        _time = time;
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new LearningInputException(string.Join("; ", errors));
        }

        _options = options;
    }

    /// <summary>Rounds kept after early stopping (all rounds when it is off).</summary>
    public int BestIteration { get; private set; }

    /// <summary>Time the last <see cref="Train"/> spent placing bin bounds and binning the rows.</summary>
    public TimeSpan BinningTime { get; private set; }

    /// <summary>Time the last <see cref="Train"/> spent boosting (gradients, trees, scores, early stopping).</summary>
    public TimeSpan BoostingTime { get; private set; }

    public GbdtModel Train(DataSet train, DataSet? validation = null, Action<string>? progress = null)
    {
        var labels = train.RequireLabels();
        var started = _time.GetTimestamp();
        var binning = new FeatureBinning[train.Columns.Length];
        Parallel.For(0, binning.Length, new ParallelOptions { MaxDegreeOfParallelism = _options.Threads },
            f => binning[f] = FeatureBinning.Fit(train.Columns[f], _options.MaxBins));
        var binned = BinnedMatrix.Build(train.Columns, binning, _options.Threads, withColumns: true);
        var rows = train.Rows;
        BinningTime = _time.GetElapsedTime(started);
        started = _time.GetTimestamp();

        double positives = 0, total = 0;
        var weights = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            weights[i] = labels[i] > 0.5f ? (float)_options.PositiveWeight : 1f;
            positives += labels[i] * weights[i];
            total += weights[i];
        }

        var prior = Math.Clamp(positives / total, 1e-6, 1 - 1e-6);
        var baseScore = Math.Log(prior / (1 - prior));
        var scores = new double[rows];
        Array.Fill(scores, baseScore);

        BinnedMatrix? validBins = null;
        double[]? validScores = null;
        if (validation is not null && _options.EarlyStoppingRounds > 0)
        {
            validBins = BinnedMatrix.Build(validation.Columns, binning, _options.Threads);
            validScores = new double[validation.Rows];
            Array.Fill(validScores, baseScore);
        }

        var gradients = new QuantizedGradients(labels, weights);
        var grower = new TreeGrower(binned, binning, _options);
        var random = new Random(_options.Seed);
        var trees = new List<RegressionTree>(_options.Trees);
        var segments = new List<(int Start, int Count)>();
        var sample = new int[rows];
        var inSample = new bool[rows];
        var featureUsed = new bool[train.Columns.Length];
        var bestLoss = double.PositiveInfinity;
        BestIteration = 0;
        for (var iteration = 0; iteration < _options.Trees; iteration++)
        {
            gradients.Compute(scores, _options.Threads);
            var sampleCount = SampleRows(random, sample, inSample);
            SampleFeatures(random, featureUsed);
            var tree = grower.Grow(sample.AsSpan(0, sampleCount), gradients, featureUsed, segments);
            trees.Add(tree);
            ApplyTree(tree, grower.Rows, segments, scores, binned, sampleCount < rows ? inSample : null);

            if (validBins is not null && validScores is not null && validation is not null)
            {
                AddTree(tree, validBins, validScores);
                var loss = LogLoss(validation.RequireLabels(), validScores);
                if (loss < bestLoss - 1e-12)
                {
                    bestLoss = loss;
                    BestIteration = iteration + 1;
                }
                else if (iteration + 1 - BestIteration >= _options.EarlyStoppingRounds)
                {
                    progress?.Invoke($"early stopping at round {iteration + 1}: best validation log loss {bestLoss:F5} at round {BestIteration}");
                    break;
                }
            }
            else
            {
                BestIteration = iteration + 1;
            }

            if (progress is not null && (iteration + 1) % 25 == 0)
            {
                progress($"round {iteration + 1}/{_options.Trees} ({_time.GetElapsedTime(started).TotalSeconds:F1} s)");
            }
        }

        BoostingTime = _time.GetElapsedTime(started);
        return new GbdtModel(train.FeatureNames, binning, baseScore, trees.GetRange(0, Math.Max(1, BestIteration)));
    }

    private int SampleRows(Random random, int[] sample, bool[] inSample)
    {
        var rows = sample.Length;
        if (_options.RowSubsample >= 1)
        {
            for (var i = 0; i < rows; i++)
            {
                sample[i] = i;
            }

            return rows;
        }

        var count = 0;
        for (var i = 0; i < rows; i++)
        {
            var take = random.NextDouble() < _options.RowSubsample;
            inSample[i] = take;
            if (take)
            {
                sample[count++] = i;
            }
        }

        return count;
    }

    private void SampleFeatures(Random random, bool[] used)
    {
        if (_options.FeatureFraction >= 1)
        {
            Array.Fill(used, true);
            return;
        }

        var keep = Math.Max(1, (int)Math.Round(used.Length * _options.FeatureFraction));
        var order = new int[used.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        random.Shuffle(order);
        Array.Fill(used, false);
        for (var i = 0; i < keep; i++)
        {
            used[order[i]] = true;
        }
    }

    private void ApplyTree(
        RegressionTree tree, int[] rows, List<(int Start, int Count)> segments, double[] scores, BinnedMatrix binned, bool[]? inSample)
    {
        // Leaves own disjoint rows, so threads may take them in any order.
        Parallel.For(0, segments.Count, new ParallelOptions { MaxDegreeOfParallelism = _options.Threads }, leaf =>
        {
            var (start, count) = segments[leaf];
            AddToRows(scores, rows.AsSpan(start, count), tree.LeafValue[leaf]);
        });

        if (inSample is null)
        {
            return;
        }

        for (var r = 0; r < scores.Length; r++)
        {
            if (!inSample[r])
            {
                scores[r] += tree.LeafValue[tree.LeafOfBinned(binned.Bins, (long)r * binned.Features)];
            }
        }
    }

    /// <summary>scores[r] += value for every row r of a leaf; the rows are scattered, so they are fetched ahead.</summary>
    private static unsafe void AddToRows(double[] scores, ReadOnlySpan<int> rows, double value)
    {
        const int Ahead = 16;
        fixed (double* s = scores)
        fixed (int* r = rows)
        {
            for (var i = 0; i < rows.Length; i++)
            {
                if (Sse.IsSupported && i + Ahead < rows.Length)
                {
                    Sse.Prefetch0(s + r[i + Ahead]);
                }

                s[r[i]] += value;
            }
        }
    }

    private static void AddTree(RegressionTree tree, BinnedMatrix binned, double[] scores)
    {
        for (var r = 0; r < scores.Length; r++)
        {
            scores[r] += tree.LeafValue[tree.LeafOfBinned(binned.Bins, (long)r * binned.Features)];
        }
    }

    private static double LogLoss(float[] labels, double[] scores)
    {
        double sum = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            // log(1 + e^-s) for positives, log(1 + e^s) for negatives, computed stably.
            var s = labels[i] > 0.5f ? scores[i] : -scores[i];
            sum += s > 0 ? Math.Log(1 + Math.Exp(-s)) : -s + Math.Log(1 + Math.Exp(s));
        }

        return sum / labels.Length;
    }
}
