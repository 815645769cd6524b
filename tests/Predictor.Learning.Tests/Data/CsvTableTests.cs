using Predictor.Learning.Data;

namespace Predictor.Learning.Tests.Data;

public class CsvTableTests
{
    private static DataSet Load(string csv, string? group = null)
    {
        var schema = new DataSchema("failure", group, null, []);
        var table = CsvTable.Read(new StringReader(csv), "drives.csv", schema.TextColumns);
        return DataSetLoader.ForTraining(table, schema, out _);
    }

    [Fact]
    public void Read_NumbersEmptyCellsAndText_NumericColumnsWithNaNAndTextIgnored()
    {
        var table = CsvTable.Read(new StringReader("serial,a,b,failure\nX1,1.5,,0\n\"X,2\",2e3,NaN,1\n"), "drives.csv", ["serial"]);

        Assert.Equal(2, table.Rows);
        Assert.False(table.IsNumeric(0));
        Assert.Equal(["X1", "X,2"], table.Text(0));
        Assert.Equal([1.5f, 2000f], table.Numeric(1));
        Assert.True(float.IsNaN(table.Numeric(2)[0]));
        Assert.Equal(3, table.LineOf(1));
    }

    [Fact]
    public void Load_NonNumericCellInNumericColumn_NamesLineAndColumn()
    {
        var ex = Assert.Throws<LearningInputException>(() => Load("a,b,failure\n1,2,0\n3,oops,1\n"));

        Assert.Equal("drives.csv: line 3, column 'b': expected a number, got 'oops'", ex.Message);
    }

    [Fact]
    public void Load_NaNLabel_NamesLine()
    {
        var ex = Assert.Throws<LearningInputException>(() => Load("a,failure\n1,0\n2,\n"));

        Assert.Equal("drives.csv: line 3, label column 'failure': the label is empty or NaN; expected 0 or 1", ex.Message);
    }

    [Fact]
    public void Load_LabelNotZeroOrOne_NamesLineAndValue()
    {
        var ex = Assert.Throws<LearningInputException>(() => Load("a,failure\n1,0\n\n2,3\n"));

        Assert.Equal("drives.csv: line 4, label column 'failure': expected 0 or 1, got 3", ex.Message);
    }

    [Fact]
    public void Load_WrongFieldCount_NamesLine()
    {
        var ex = Assert.Throws<LearningInputException>(() => Load("a,b,failure\n1,2,0\n1,2\n"));

        Assert.Equal("drives.csv: line 3: expected 3 fields as in the header, found 2", ex.Message);
    }

    [Fact]
    public void Load_MissingRoleColumns_NamesThemAndTheHeader()
    {
        var ex = Assert.Throws<LearningInputException>(() => Load("a,fail\n1,0\n", group: "serial"));

        Assert.Equal("drives.csv: label column 'failure' not found; group column 'serial' not found; the header has 'a', 'fail'", ex.Message);
    }

    [Fact]
    public void ForModel_ColumnsDiffer_NamesMissingAndExtra()
    {
        var table = CsvTable.Read(new StringReader("a,c,failure\n1,2,0\n"), "other.csv", []);

        var ex = Assert.Throws<LearningInputException>(() =>
            DataSetLoader.ForModel(table, ["a", "b"], new DataSchema("failure", null, null, [])));

        Assert.Equal(
            "other.csv: the columns do not match the model's 2 features: missing feature column(s) 'b'; " +
            "extra numeric column(s) the model was not trained on 'c'",
            ex.Message);
    }
}
