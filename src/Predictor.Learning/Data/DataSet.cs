namespace Predictor.Learning.Data;

/// <summary>
/// A columnar float matrix: one array per feature (NaN = missing), with the optional label (0/1),
/// group (unit: drive, host) and time of each row.
/// </summary>
internal sealed class DataSet
{
    public DataSet(string[] featureNames, float[][] columns, float[]? labels, string[]? groups = null, string[]? times = null)
    {
        FeatureNames = featureNames;
        Columns = columns;
        Rows = columns.Length > 0 ? columns[0].Length : labels?.Length ?? 0;
        Labels = labels;
        Groups = groups;
        Times = times;
    }

    public string[] FeatureNames { get; }

    public float[][] Columns { get; }

    public int Rows { get; }

    public float[]? Labels { get; }

    public string[]? Groups { get; }

    public string[]? Times { get; }

    public float[] RequireLabels() => Labels ?? throw new InvalidOperationException("the data set has no labels");

    /// <summary>The rows at <paramref name="indices"/>, in that order.</summary>
    public DataSet Subset(int[] indices)
    {
        var columns = new float[Columns.Length][];
        for (var f = 0; f < Columns.Length; f++)
        {
            var source = Columns[f];
            var target = new float[indices.Length];
            for (var i = 0; i < indices.Length; i++)
            {
                target[i] = source[indices[i]];
            }

            columns[f] = target;
        }

        return new DataSet(FeatureNames, columns, Pick(Labels, indices), Pick(Groups, indices), Pick(Times, indices));
    }

    private static T[]? Pick<T>(T[]? values, int[] indices)
    {
        if (values is null)
        {
            return null;
        }

        var result = new T[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            result[i] = values[indices[i]];
        }

        return result;
    }
}
