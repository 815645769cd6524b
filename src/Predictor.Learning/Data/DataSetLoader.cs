namespace Predictor.Learning.Data;

/// <summary>Turns a <see cref="CsvTable"/> into a <see cref="DataSet"/>, checking every role column.</summary>
internal static class DataSetLoader
{
    /// <summary>For training: every numeric column that has no role is a feature.</summary>
    public static DataSet ForTraining(CsvTable table, DataSchema schema, out IReadOnlyList<string> ignoredText)
    {
        RequireColumns(table, schema, labelRequired: true);
        var names = new List<string>();
        var columns = new List<float[]>();
        var ignored = new List<string>();
        for (var c = 0; c < table.Header.Count; c++)
        {
            var name = table.Header[c];
            if (schema.IsRole(name))
            {
                continue;
            }

            if (!table.IsNumeric(c))
            {
                ignored.Add(name);
                continue;
            }

            names.Add(name);
            columns.Add(table.Numeric(c));
        }

        ignoredText = ignored;
        if (names.Count == 0)
        {
            throw new LearningInputException($"{table.Source}: no numeric feature column besides the label, group, time and excluded columns");
        }

        return Build(table, schema, [.. names], [.. columns], labelRequired: true);
    }

    /// <summary>
    /// For scoring with a model: the model's features must all be present as numeric columns, and no other
    /// numeric column may be present besides the model's label, group, time and excluded columns.
    /// </summary>
    public static DataSet ForModel(CsvTable table, IReadOnlyList<string> features, DataSchema schema)
    {
        var missing = features.Where(f => table.IndexOf(f) < 0).ToList();
        var extra = new List<string>();
        for (var c = 0; c < table.Header.Count; c++)
        {
            var name = table.Header[c];
            if (table.IsNumeric(c) && !schema.IsRole(name) && !features.Contains(name))
            {
                extra.Add(name);
            }
        }

        if (missing.Count > 0 || extra.Count > 0)
        {
            var parts = new List<string>();
            if (missing.Count > 0)
            {
                parts.Add($"missing feature column(s) {Quote(missing)}");
            }

            if (extra.Count > 0)
            {
                parts.Add($"extra numeric column(s) the model was not trained on {Quote(extra)}");
            }

            throw new LearningInputException(
                $"{table.Source}: the columns do not match the model's {features.Count} features: {string.Join("; ", parts)}");
        }

        var columns = features.Select(f => table.Numeric(table.IndexOf(f))).ToArray();
        var present = schema with
        {
            Label = schema.Label is { } l && table.IndexOf(l) >= 0 ? l : null,
            Group = schema.Group is { } g && table.IndexOf(g) >= 0 ? g : null,
            Time = schema.Time is { } t && table.IndexOf(t) >= 0 ? t : null,
        };
        return Build(table, present, [.. features], columns, labelRequired: false);
    }

    private static void RequireColumns(CsvTable table, DataSchema schema, bool labelRequired)
    {
        var errors = new List<string>();
        void Check(string? column, string role)
        {
            if (column is not null && table.IndexOf(column) < 0)
            {
                errors.Add($"{role} column '{column}' not found");
            }
        }

        if (labelRequired)
        {
            Check(schema.Label, "label");
        }

        Check(schema.Group, "group");
        Check(schema.Time, "time");
        foreach (var excluded in schema.Excluded)
        {
            Check(excluded, "excluded");
        }

        if (errors.Count > 0)
        {
            throw new LearningInputException(
                $"{table.Source}: {string.Join("; ", errors)}; the header has {Quote(table.Header)}");
        }
    }

    private static DataSet Build(CsvTable table, DataSchema schema, string[] names, float[][] columns, bool labelRequired)
    {
        float[]? labels = null;
        if (schema.Label is { } label && (labelRequired || table.IndexOf(label) >= 0))
        {
            labels = ReadLabels(table, label);
        }

        var groups = schema.Group is { } g ? table.Text(table.IndexOf(g)) : null;
        var times = schema.Time is { } t ? table.Text(table.IndexOf(t)) : null;
        return new DataSet(names, columns, labels, groups, times);
    }

    private static float[] ReadLabels(CsvTable table, string label)
    {
        var values = table.Numeric(table.IndexOf(label));
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            if (float.IsNaN(v))
            {
                throw new LearningInputException(
                    $"{table.Source}: line {table.LineOf(i)}, label column '{label}': the label is empty or NaN; expected 0 or 1");
            }

            if (v is not 0f and not 1f)
            {
                throw new LearningInputException(
                    $"{table.Source}: line {table.LineOf(i)}, label column '{label}': expected 0 or 1, got {v}");
            }
        }

        return values;
    }

    private static string Quote(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));
}
