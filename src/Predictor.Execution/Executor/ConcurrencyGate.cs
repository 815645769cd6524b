namespace Predictor.Execution.Executor;

/// <summary>
/// Grants a migration its three slots (outbound on the source, inbound on the destination, one of the
/// datacenter-wide) all at once or not at all, first come first served among those that can run.
/// Taking them one by one would let waiting migrations hold datacenter slots while they wait for a busy
/// host, starving migrations that could run.
/// </summary>
internal sealed class ConcurrencyGate(int maxConcurrent, int maxOutboundPerHost, int maxInboundPerHost)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, int> _outbound = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _inbound = new(StringComparer.Ordinal);
    private readonly LinkedList<Waiter> _waiters = new();
    private int _running;

    public int Running
    {
        get
        {
            lock (_gate)
            {
                return _running;
            }
        }
    }

    public Task<IDisposable> AcquireAsync(string from, string to, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_waiters.Count == 0 && CanRun(from, to))
            {
                return Task.FromResult<IDisposable>(Grant(from, to));
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return Task.FromCanceled<IDisposable>(cancellationToken);
            }

            var waiter = new Waiter(from, to);
            var node = _waiters.AddLast(waiter);
            waiter.Registration = cancellationToken.Register(() =>
            {
                bool removed;
                lock (_gate)
                {
                    removed = node.List is not null;
                    if (removed)
                    {
                        _waiters.Remove(node);
                    }
                }

                // outside the lock: the waiter's continuations run synchronously
                if (removed)
                {
                    waiter.Completion.TrySetCanceled(cancellationToken);
                }
            });
            return waiter.Completion.Task;
        }
    }

    private bool CanRun(string from, string to) =>
        _running < maxConcurrent && _outbound.GetValueOrDefault(from) < maxOutboundPerHost && _inbound.GetValueOrDefault(to) < maxInboundPerHost;

    private Lease Grant(string from, string to)
    {
        _running++;
        _outbound[from] = _outbound.GetValueOrDefault(from) + 1;
        _inbound[to] = _inbound.GetValueOrDefault(to) + 1;
        return new Lease(this, from, to);
    }

    private void Release(string from, string to)
    {
        var granted = new List<(Waiter Waiter, Lease Lease)>();
        lock (_gate)
        {
            _running--;
            _outbound[from]--;
            _inbound[to]--;
            for (var node = _waiters.First; node is not null && _running < maxConcurrent;)
            {
                var next = node.Next;
                if (CanRun(node.Value.From, node.Value.To))
                {
                    _waiters.Remove(node);
                    granted.Add((node.Value, Grant(node.Value.From, node.Value.To)));
                }

                node = next;
            }
        }

        foreach (var (waiter, lease) in granted)
        {
            waiter.Registration.Dispose();
            if (!waiter.Completion.TrySetResult(lease))
            {
                lease.Dispose();
            }
        }
    }

    private sealed class Waiter(string from, string to)
    {
        public string From { get; } = from;

        public string To { get; } = to;

        /// <summary>
        /// Completed outside the gate's lock, so it need not (and must not) run continuations asynchronously: the
        /// executor's unpark of the waiting step has to run on the thread that releases the slot.
        /// </summary>
        public TaskCompletionSource<IDisposable> Completion { get; } = new();

        public CancellationTokenRegistration Registration { get; set; }
    }

    private sealed class Lease(ConcurrencyGate owner, string from, string to) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Release(from, to);
            }
        }
    }
}
