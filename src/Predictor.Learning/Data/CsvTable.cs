using System.Globalization;

namespace Predictor.Learning.Data;

/// <summary>
/// A CSV file read column by column. A column whose every non-empty cell is a number is numeric (empty
/// cells and <c>NaN</c> become NaN); a column with no numeric cell is text; a column that mixes both is
/// an error naming the first offending line. Text is kept only for the columns asked for (group, time).
/// </summary>
internal sealed class CsvTable
{
    private readonly float[]?[] _numeric;
    private readonly string[]?[] _text;
    private readonly (int Line, string Value)?[] _firstText;
    private readonly int[] _lines;

    private CsvTable(string source, string[] header, int rows, float[]?[] numeric, string[]?[] text, (int, string)?[] firstText, int[] lines)
    {
        _lines = lines;
        Source = source;
        Header = header;
        Rows = rows;
        _numeric = numeric;
        _text = text;
        _firstText = firstText;
    }

    public string Source { get; }

    public IReadOnlyList<string> Header { get; }

    public int Rows { get; }

    public int IndexOf(string column) => Array.IndexOf((string[])Header, column);

    /// <summary>The file line (1 = header) of a data row.</summary>
    public int LineOf(int row) => _lines[row];

    public bool IsNumeric(int column) => _numeric[column] is not null;

    /// <summary>The numeric cells of a column; a clear error when it holds text.</summary>
    public float[] Numeric(int column)
    {
        if (_numeric[column] is { } values)
        {
            return values;
        }

        var (line, value) = _firstText[column]!.Value;
        throw new LearningInputException(
            $"{Source}: line {line}, column '{Header[column]}': expected a number, got '{value}'");
    }

    /// <summary>The raw cells of a column read with <c>keepText</c>.</summary>
    public string[] Text(int column) =>
        _text[column] ?? throw new InvalidOperationException($"column '{Header[column]}' was not read as text");

    public static CsvTable Load(string path, IReadOnlyCollection<string> keepText)
    {
        if (!File.Exists(path))
        {
            throw new LearningInputException($"{path}: file not found");
        }

        using var reader = new StreamReader(path);
        return Read(reader, path, keepText);
    }

    public static CsvTable Read(TextReader reader, string source, IReadOnlyCollection<string> keepText)
    {
        var headerLine = reader.ReadLine() ?? throw new LearningInputException($"{source}: the file is empty; expected a header line");
        var fields = new List<string>();
        Split(headerLine, fields, source, 1);
        var header = fields.Select(f => f.Trim()).ToArray();
        var duplicates = header.GroupBy(h => h, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            throw new LearningInputException($"{source}: line 1: duplicate column name(s) {string.Join(", ", duplicates.Select(d => $"'{d}'"))}");
        }

        var columns = header.Length;
        var numeric = new ColumnBuffer[columns];
        var text = new List<string>?[columns];
        var firstText = new (int, string)?[columns];
        var hasNumber = new bool[columns];
        for (var c = 0; c < columns; c++)
        {
            numeric[c] = new ColumnBuffer();
            text[c] = keepText.Contains(header[c]) ? [] : null;
        }

        var line = 1;
        var rows = 0;
        var lines = new List<int>();
        while (reader.ReadLine() is { } row)
        {
            line++;
            if (row.Length == 0)
            {
                continue;
            }

            Split(row, fields, source, line);
            if (fields.Count != columns)
            {
                throw new LearningInputException($"{source}: line {line}: expected {columns} fields as in the header, found {fields.Count}");
            }

            for (var c = 0; c < columns; c++)
            {
                var cell = fields[c].AsSpan().Trim();
                float value;
                if (cell.IsEmpty)
                {
                    value = float.NaN;
                }
                else if (float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
                {
                    hasNumber[c] = true;
                }
                else
                {
                    firstText[c] ??= (line, cell.ToString());
                    value = float.NaN;
                }

                numeric[c].Add(value);
                text[c]?.Add(fields[c]);
            }

            lines.Add(line);
            rows++;
        }

        var numericColumns = new float[]?[columns];
        for (var c = 0; c < columns; c++)
        {
            if (firstText[c] is null)
            {
                numericColumns[c] = numeric[c].ToArray();
            }
            else if (hasNumber[c])
            {
                var (badLine, value) = firstText[c]!.Value;
                throw new LearningInputException(
                    $"{source}: line {badLine}, column '{header[c]}': expected a number, got '{value}'");
            }
        }

        return new CsvTable(source, header, rows, numericColumns, text.Select(t => t?.ToArray()).ToArray(), firstText, [.. lines]);
    }

    /// <summary>Splits one line on commas; double quotes enclose fields that hold commas ("" is a quote).</summary>
    private static void Split(string line, List<string> fields, string source, int lineNumber)
    {
        fields.Clear();
        if (!line.Contains('"', StringComparison.Ordinal))
        {
            var start = 0;
            while (true)
            {
                var comma = line.IndexOf(',', start);
                if (comma < 0)
                {
                    fields.Add(line[start..]);
                    return;
                }

                fields.Add(line[start..comma]);
                start = comma + 1;
            }
        }

        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(ch);
                }
            }
            else if (ch == '"')
            {
                quoted = true;
            }
            else if (ch == ',')
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(ch);
            }
        }

        if (quoted)
        {
            throw new LearningInputException($"{source}: line {lineNumber}: a quoted field is not closed");
        }

        fields.Add(current.ToString());
    }

    private sealed class ColumnBuffer
    {
        private float[] _items = new float[1024];
        private int _count;

        public void Add(float value)
        {
            if (_count == _items.Length)
            {
                Array.Resize(ref _items, _items.Length * 2);
            }

            _items[_count++] = value;
        }

        public float[] ToArray() => _items.AsSpan(0, _count).ToArray();
    }
}
