namespace Predictor.Learning.Trees;

/// <summary>
/// Features mapped to their bins, one byte per cell. <see cref="Bins"/> is row-major, so building a histogram
/// reads one row's bins from one cache line; <see cref="Columns"/> (training only) holds the same bins
/// column by column, so partitioning a leaf on one feature reads one byte array instead of a line per row.
/// </summary>
internal sealed class BinnedMatrix
{
    private BinnedMatrix(byte[] bins, byte[][] columns, int rows, int features)
    {
        Bins = bins;
        Columns = columns;
        Rows = rows;
        Features = features;
    }

    public byte[] Bins { get; }

    /// <summary>Bins of feature f in row order; empty unless built with <c>withColumns</c>.</summary>
    public byte[][] Columns { get; }

    public int Rows { get; }

    public int Features { get; }

    public static BinnedMatrix Build(float[][] columns, FeatureBinning[] binning, int threads, bool withColumns = false)
    {
        var features = columns.Length;
        var rows = features == 0 ? 0 : columns[0].Length;
        var bins = new byte[(long)rows * features];
        var byColumn = withColumns ? new byte[features][] : [];
        for (var f = 0; f < byColumn.Length; f++)
        {
            byColumn[f] = new byte[rows];
        }

        const int Block = 16_384;
        var blocks = (rows + Block - 1) / Block;
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = threads }, b =>
        {
            var start = b * Block;
            var end = Math.Min(rows, start + Block);
            Span<byte> column = stackalloc byte[Block];
            for (var f = 0; f < features; f++)
            {
                var values = columns[f];
                binning[f].BinAll(values.AsSpan(start, end - start), column);

                for (var r = start; r < end; r++)
                {
                    bins[((long)r * features) + f] = column[r - start];
                }

                if (withColumns)
                {
                    column[..(end - start)].CopyTo(byColumn[f].AsSpan(start));
                }
            }
        });
        return new BinnedMatrix(bins, byColumn, rows, features);
    }
}
