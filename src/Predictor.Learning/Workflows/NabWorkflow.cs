using Predictor.Learning.TimeSeries.Nab;

namespace Predictor.Learning.Workflows;

/// <summary><c>predictor nab</c>'s work once its options are parsed: score detectors on a NAB corpus with the standard profile.</summary>
public static class NabWorkflow
{
    /// <summary>
    /// Scores each detector named in the comma-separated <paramref name="detectors"/> on the corpus at
    /// <paramref name="corpusRoot"/>; the table goes to <paramref name="stdout"/>, the corpus summary and errors to
    /// <paramref name="stderr"/>. Exit code: 0 done, 2 an unknown detector or an unreadable corpus.
    /// </summary>
    public static int Run(string corpusRoot, string detectors, bool perFile, TextWriter stdout, TextWriter stderr)
    {
        var names = detectors.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = names.Where(n => !NabBenchmark.Detectors.ContainsKey(n)).ToList();
        if (unknown.Count > 0 || names.Length == 0)
        {
            stderr.WriteLine($"nab: --detectors: unknown '{string.Join("', '", unknown)}'; expected some of {string.Join(", ", NabBenchmark.Detectors.Keys)}");
            return 2;
        }

        IReadOnlyList<NabSeries> corpus;
        try
        {
            corpus = NabCorpus.Load(corpusRoot);
        }
        catch (NabCorpusException ex)
        {
            stderr.WriteLine("nab: " + ex.Message);
            return 2;
        }

        var results = names.Select(n => (n, NabBenchmark.Run(corpus, NabBenchmark.Detectors[n], NabProfile.Standard))).ToList();
        stderr.WriteLine($"nab: {corpus.Count} series, {corpus.Sum(s => s.Values.Length)} rows, {corpus.Sum(s => s.Windows.Count)} windows");
        stdout.Write(NabBenchmark.Table(results, perFile));
        return 0;
    }
}
