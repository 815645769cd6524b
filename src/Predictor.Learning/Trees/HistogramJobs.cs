using System.Runtime.Intrinsics;

namespace Predictor.Learning.Trees;

/// <summary>
/// The histogram work of one <see cref="TreeGrower"/> step and the buffers it uses: each queued build sums a
/// leaf's rows into its histogram, cut into at most one chunk per thread and added together afterwards; each
/// queued subtraction turns a parent's histogram into its larger child's by removing the smaller child's.
/// Buffers are pooled: after the first tree nothing is allocated per node. All sums are exact integers
/// (<see cref="QuantizedGradients"/>), so how rows are cut among threads never changes a histogram.
/// </summary>
internal sealed class HistogramJobs
{
    /// <summary>Row-feature cells below which the builds stay on the calling thread.</summary>
    public const long ParallelWork = 1 << 17;

    /// <summary>Rows per histogram chunk; a leaf's rows are cut into at most one chunk per thread.</summary>
    private const int ChunkRows = 8_192;

    private readonly BinnedMatrix _data;
    private readonly LeafRows _rows;
    private readonly int _features;
    private readonly int _stride;
    private readonly int _threads;
    private readonly ParallelOptions _parallel;
    private readonly Stack<Vector128<long>[]> _pool = new();
    private readonly List<Vector128<long>[]> _temporaries = [];
    private readonly Action<int> _buildTask;
    private readonly Action<int> _reduceTask;
    private readonly Action<int> _subtractTask;
    private BuildTask[] _builds = new BuildTask[16];
    private int _buildCount;
    private int _buildJobs;
    private (Vector128<long>[] Parent, Vector128<long>[] Child)[] _subtracts = new (Vector128<long>[], Vector128<long>[])[16];
    private int _subtractCount;
    private Vector128<long>[] _pairs = [];

    public HistogramJobs(BinnedMatrix data, LeafRows rows, int stride, int threads)
    {
        _data = data;
        _rows = rows;
        _features = data.Features;
        _stride = stride;
        _threads = threads;
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = threads };
        _buildTask = RunBuild;
        _reduceTask = RunReduce;
        _subtractTask = RunSubtract;
    }

    /// <summary>A zeroed-or-reused histogram buffer (builds overwrite it, so it need not be zero).</summary>
    public Vector128<long>[] Rent() => _pool.Count > 0 ? _pool.Pop() : new Vector128<long>[_features * _stride];

    /// <summary>Gives a buffer back to the pool; returns null so a caller can clear its reference in one expression.</summary>
    public Vector128<long>[]? Return(Vector128<long>[] hist)
    {
        _pool.Push(hist);
        return null;
    }

    /// <summary>Forgets the jobs of the previous step.</summary>
    public void Clear()
    {
        _buildCount = 0;
        _buildJobs = 0;
        _subtractCount = 0;
    }

    /// <summary>Queues the histogram of the rows <c>[start, start + count)</c> of <see cref="LeafRows.Indices"/> into <paramref name="target"/>.</summary>
    public void QueueBuild(int start, int count, Vector128<long>[] target)
    {
        var pieces = Math.Clamp(count / ChunkRows, 1, _threads);
        if (_builds.Length < _buildCount + pieces)
        {
            Array.Resize(ref _builds, Math.Max(_builds.Length * 2, _buildCount + pieces));
        }

        for (var c = 0; c < pieces; c++)
        {
            var s = start + (int)((long)c * count / pieces);
            var e = start + (int)((long)(c + 1) * count / pieces);
            _builds[_buildCount++] = new BuildTask { Start = s, Count = e - s, Hist = c == 0 ? target : Rent(), Target = target, First = c == 0 };
        }

        _buildJobs++;
    }

    /// <summary>Queues <c>parent -= child</c>, run after every build of the step.</summary>
    public void QueueSubtract(Vector128<long>[] parent, Vector128<long>[] child)
    {
        if (_subtracts.Length == _subtractCount)
        {
            Array.Resize(ref _subtracts, _subtracts.Length * 2);
        }

        _subtracts[_subtractCount++] = (parent, child);
    }

    /// <summary>A buffer needed only until the step's subtractions ran; it goes back to the pool after <see cref="Run"/>.</summary>
    public void ReturnAfterRun(Vector128<long>[] hist) => _temporaries.Add(hist);

    /// <summary>Runs the queued builds, then the subtractions, then returns the temporary buffers.</summary>
    public void Run(QuantizedGradients gradients)
    {
        _pairs = gradients.Pairs;
        RunBuilds();
        RunSubtracts();
        foreach (var temporary in _temporaries)
        {
            Return(temporary);
        }

        _temporaries.Clear();
    }

    private void RunBuilds()
    {
        long rows = 0;
        for (var i = 0; i < _buildCount; i++)
        {
            rows += _builds[i].Count;
        }

        if (_threads == 1 || _buildCount == 1 || rows * _features < ParallelWork)
        {
            for (var i = 0; i < _buildCount; i++)
            {
                RunBuild(i);
            }
        }
        else
        {
            Parallel.For(0, _buildCount, _parallel, _buildTask);
        }

        if (_buildCount > _buildJobs)
        {
            // Chunks of one leaf were summed apart: add them into the leaf's histogram (exact, so in any order).
            Parallel.For(0, _buildCount, _parallel, _reduceTask);
            for (var i = 0; i < _buildCount; i++)
            {
                if (!_builds[i].First)
                {
                    Return(_builds[i].Hist);
                }
            }
        }
    }

    private void RunBuild(int i)
    {
        var task = _builds[i];
        Histograms.Build(_data, _pairs, _rows.Indices.AsSpan(task.Start, task.Count), task.Hist, _stride);
    }

    /// <summary>Task i adds every later chunk of its leaf when it is a leaf's first chunk; others do nothing.</summary>
    private void RunReduce(int i)
    {
        if (!_builds[i].First)
        {
            return;
        }

        for (var c = i + 1; c < _buildCount && !_builds[c].First; c++)
        {
            Histograms.Add(_builds[i].Target, _builds[c].Hist);
        }
    }

    private void RunSubtracts()
    {
        if (_threads == 1 || _subtractCount <= 1)
        {
            for (var i = 0; i < _subtractCount; i++)
            {
                RunSubtract(i);
            }
        }
        else
        {
            Parallel.For(0, _subtractCount, _parallel, _subtractTask);
        }
    }

    private void RunSubtract(int i) => Histograms.Subtract(_subtracts[i].Parent, _subtracts[i].Child);

    private struct BuildTask
    {
        public int Start;
        public int Count;
        public Vector128<long>[] Hist;
        public Vector128<long>[] Target;
        public bool First;
    }
}
