namespace Predictor.Simulation.Scenarios;

/// <summary>Progress of a scenario on stderr: a bar redrawn in place on a terminal, a line every 10% otherwise.</summary>
public sealed class ScenarioProgressBar(bool enabled) : IProgress<double>
{
    private const int Width = 30;
    private readonly object _gate = new();
    private int _last = -1;

    public void Report(double value)
    {
        if (!enabled)
        {
            return;
        }

        var redirected = Console.IsErrorRedirected;
        var step = (int)(value * (redirected ? 10 : 100));
        lock (_gate)
        {
            if (step <= _last)
            {
                return;
            }

            _last = step;
            var filled = (int)(value * Width);
            var bar = $"[{new string('#', filled)}{new string('.', Width - filled)}] {value * 100:0}% of the scenario";
            Console.Error.Write(redirected ? bar + Environment.NewLine : "\r" + bar + (value >= 1 ? Environment.NewLine : ""));
        }
    }

    public void Complete() => Report(1);
}
