namespace Predictor.Execution.Executor;

/// <summary>
/// The kill switch. A step takes the current token when its turn is awaited; an abort cancels every token
/// handed out so far and arms a fresh one, so steps submitted afterwards run.
/// </summary>
internal sealed class AbortSwitch : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<CancellationTokenSource> _fired = [];
    private CancellationTokenSource _current = new();
    private string _reason = "";

    /// <summary>The reason of the latest abort.</summary>
    public string Reason
    {
        get
        {
            lock (_gate)
            {
                return _reason;
            }
        }
    }

    public AbortToken Take()
    {
        lock (_gate)
        {
            return new AbortToken(_current.Token, this);
        }
    }

    public void Abort(string reason)
    {
        CancellationTokenSource fired;
        lock (_gate)
        {
            _reason = reason;
            fired = _current;
            _fired.Add(fired);
            _current = new CancellationTokenSource();
        }

        // the steps this releases unpark and wind up inline, as after a timer: not posted to the caller's context,
        // where they would run after the executor already looked idle
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            fired.Cancel();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _current.Dispose();
            _fired.ForEach(a => a.Dispose());
        }
    }
}

/// <summary>A step's handle on the kill switch: its token, and the reason once it fired.</summary>
internal readonly record struct AbortToken(CancellationToken Token, AbortSwitch Switch)
{
    public bool IsAborted => Token.IsCancellationRequested;

    public string Reason => Switch.Reason;
}
