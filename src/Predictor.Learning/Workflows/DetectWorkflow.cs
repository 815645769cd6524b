using Predictor.Learning.TimeSeries;

namespace Predictor.Learning.Workflows;

/// <summary><c>predictor detect</c>'s work once its options are parsed: read a series, run a detector, write its table.</summary>
public static class DetectWorkflow
{
    /// <summary>
    /// Detects over the CSV at <paramref name="input"/> and writes the table to <paramref name="output"/>; the one-line
    /// report or the error goes to <paramref name="stderr"/>. The request is built only once the input exists (building it
    /// can fail on bad detector options, which are then reported like bad input). Exit code: 0 done, 1 cannot write, 2 bad
    /// input or options.
    /// </summary>
    public static int Run(string input, string output, string methodName, Func<DetectRequest> request, TextWriter stderr)
    {
        if (!File.Exists(input))
        {
            return Fail(stderr, 2, $"detect: input file '{input}' does not exist");
        }

        DetectTable table;
        try
        {
            table = DetectRunner.Run(TimeSeriesCsv.ReadFile(input), request());
        }
        catch (TimeSeriesCsvException ex)
        {
            return Fail(stderr, 2, "detect: " + ex.Message);
        }
        catch (DetectorOptionsException ex)
        {
            return Fail(stderr, 2, "detect: " + string.Join("; ", ex.Errors));
        }

        try
        {
            using var writer = new StreamWriter(output);
            table.Write(writer);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Fail(stderr, 1, $"detect: cannot write '{output}': {ex.Message}");
        }

        stderr.WriteLine($"detect: {methodName} over {table.Lines.Count} points, {table.Alerts} alerts, written to {output}");
        return 0;
    }

    private static int Fail(TextWriter stderr, int code, string message)
    {
        stderr.WriteLine(message);
        return code;
    }
}
