using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Predictor.Learning.Trees;

/// <summary>
/// The training rows of every leaf, each leaf a segment of one index array in ascending row order. Splitting
/// leaves partitions their segments stably, in chunks that threads take in any order: each chunk writes its
/// left rows forward and its right rows backward into a scratch array, then each segment gathers its chunks'
/// lefts and rights in chunk order, so the result never depends on the number of threads.
/// </summary>
internal sealed class LeafRows
{
    /// <summary>Rows per partition chunk; a segment is cut into at most one chunk per thread.</summary>
    private const int ChunkRows = 8_192;

    private readonly int[] _scratch;
    private readonly ParallelOptions _parallel;
    private readonly int _threads;
    private Job[] _jobs = new Job[16];
    private Chunk[] _chunks = new Chunk[16];
    private int _jobCount;
    private int _chunkCount;
    private readonly Action<int> _partitionChunk;
    private readonly Action<int> _gather;
    private byte[] _goesLeft = new byte[16 * 256];
    private BinnedMatrix? _data;

    public LeafRows(int rows, int threads)
    {
        Indices = new int[rows];
        _scratch = new int[rows];
        _threads = threads;
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = threads };
        _partitionChunk = PartitionChunk;
        _gather = Gather;
    }

    public int[] Indices { get; }

    public void Clear() => _jobCount = 0;

    /// <summary>Queues the split of segment [start, start + count) on "bin &lt;= thresholdBin, missing per defaultLeft".</summary>
    public void Add(int start, int count, int feature, int thresholdBin, bool defaultLeft)
    {
        var job = _jobCount++;
        if (_jobs.Length < _jobCount)
        {
            Array.Resize(ref _jobs, _jobs.Length * 2);
            Array.Resize(ref _goesLeft, _jobs.Length * 256);
        }

        var table = _goesLeft.AsSpan(job * 256, 256);
        table[0] = defaultLeft ? (byte)1 : (byte)0;
        table[1..(thresholdBin + 1)].Fill(1);
        table[(thresholdBin + 1)..].Clear();
        _jobs[job] = new Job { Start = start, Count = count, Feature = feature };
    }

    /// <summary>Runs the queued splits; <see cref="LeftCount"/> then gives each one's rows on the left.</summary>
    public void Run(BinnedMatrix data)
    {
        _data = data;
        _chunkCount = 0;
        long work = 0;
        for (var j = 0; j < _jobCount; j++)
        {
            ref var job = ref _jobs[j];
            var pieces = Math.Clamp(job.Count / ChunkRows, 1, _threads);
            job.FirstChunk = _chunkCount;
            job.Chunks = pieces;
            if (_chunks.Length < _chunkCount + pieces)
            {
                Array.Resize(ref _chunks, Math.Max(_chunks.Length * 2, _chunkCount + pieces));
            }

            for (var c = 0; c < pieces; c++)
            {
                var s = job.Start + (int)((long)c * job.Count / pieces);
                var e = job.Start + (int)((long)(c + 1) * job.Count / pieces);
                _chunks[_chunkCount++] = new Chunk { Job = j, Start = s, Count = e - s };
            }

            work += job.Count;
        }

        if (_threads == 1 || work < ChunkRows)
        {
            for (var c = 0; c < _chunkCount; c++)
            {
                PartitionChunk(c);
            }

            for (var j = 0; j < _jobCount; j++)
            {
                Gather(j);
            }
        }
        else
        {
            Parallel.For(0, _chunkCount, _parallel, _partitionChunk);
            Parallel.For(0, _jobCount, _parallel, _gather);
        }
    }

    public int LeftCount(int job) => _jobs[job].Left;

    private void PartitionChunk(int index)
    {
        ref var chunk = ref _chunks[index];
        var column = _data!.Columns[_jobs[chunk.Job].Feature];
        ref var goesLeft = ref _goesLeft[chunk.Job * 256];
        ref var bins = ref MemoryMarshal.GetArrayDataReference(column);
        ref var source = ref Indices[chunk.Start];
        ref var target = ref _scratch[chunk.Start];
        int left = 0, right = chunk.Count;
        for (var i = 0; i < chunk.Count; i++)
        {
            // Branch-free: the row goes to both free slots and only one cursor moves (the slots meet at the last row).
            var row = Unsafe.Add(ref source, i);
            int isLeft = Unsafe.Add(ref goesLeft, Unsafe.Add(ref bins, row));
            Unsafe.Add(ref target, left) = row;
            Unsafe.Add(ref target, right - 1) = row;
            left += isLeft;
            right -= isLeft ^ 1;
        }

        chunk.Left = left;
    }

    private void Gather(int index)
    {
        ref var job = ref _jobs[index];
        var write = job.Start;
        for (var c = job.FirstChunk; c < job.FirstChunk + job.Chunks; c++)
        {
            var chunk = _chunks[c];
            _scratch.AsSpan(chunk.Start, chunk.Left).CopyTo(Indices.AsSpan(write));
            write += chunk.Left;
        }

        job.Left = write - job.Start;
        for (var c = job.FirstChunk; c < job.FirstChunk + job.Chunks; c++)
        {
            // Right rows were written from the chunk's end backwards.
            var chunk = _chunks[c];
            var rights = Indices.AsSpan(write, chunk.Count - chunk.Left);
            _scratch.AsSpan(chunk.Start + chunk.Left, rights.Length).CopyTo(rights);
            rights.Reverse();
            write += rights.Length;
        }
    }

    private struct Job
    {
        public int Start;
        public int Count;
        public int Feature;
        public int FirstChunk;
        public int Chunks;
        public int Left;
    }

    private struct Chunk
    {
        public int Job;
        public int Start;
        public int Count;
        public int Left;
    }
}
