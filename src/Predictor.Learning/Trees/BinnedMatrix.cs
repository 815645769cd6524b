namespace Predictor.Learning.Trees;

/// <summary>Features mapped to their bins, one byte per cell, row-major so a row's bins share a cache line.</summary>
internal sealed class BinnedMatrix
{
    private BinnedMatrix(byte[] bins, int rows, int features)
    {
        Bins = bins;
        Rows = rows;
        Features = features;
    }

    public byte[] Bins { get; }

    public int Rows { get; }

    public int Features { get; }

    public static BinnedMatrix Build(float[][] columns, FeatureBinning[] binning, int threads)
    {
        var features = columns.Length;
        var rows = features == 0 ? 0 : columns[0].Length;
        var bins = new byte[(long)rows * features];
        const int Block = 16_384;
        var blocks = (rows + Block - 1) / Block;
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = threads }, b =>
        {
            var start = b * Block;
            var end = Math.Min(rows, start + Block);
            for (var f = 0; f < features; f++)
            {
                var column = columns[f];
                var map = binning[f];
                for (var r = start; r < end; r++)
                {
                    bins[((long)r * features) + f] = map.BinOf(column[r]);
                }
            }
        });
        return new BinnedMatrix(bins, rows, features);
    }
}
