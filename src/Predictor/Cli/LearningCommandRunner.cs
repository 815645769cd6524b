using Predictor.Learning;

namespace Predictor.Cli;

/// <summary>Runs a learning verb's work and maps its errors to exit codes: 2 for bad input, 1 for I/O failures.</summary>
internal static class LearningCommandRunner
{
    public static int Run(Func<int> work)
    {
        try
        {
            return work();
        }
        catch (LearningInputException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 2;
        }
        catch (IOException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 1;
        }
        catch (UnauthorizedAccessException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 1;
        }
    }
}
