using Predictor.Execution.Hypervisors.Libvirt;

namespace Predictor.Execution.Tests.Hypervisors.Libvirt;

/// <summary>Answers virsh calls from a script keyed by "URI verb", and records every call's arguments.</summary>
internal sealed class FakeVirshRunner : IVirshRunner
{
    private readonly Dictionary<string, Queue<Func<VirshResult>>> _script = [];
    private readonly object _gate = new();

    public List<string> Calls { get; } = [];

    /// <summary>Adds answers for calls to <paramref name="verb"/> on <paramref name="uri"/>; the last one repeats.</summary>
    public FakeVirshRunner On(string uri, string verb, params VirshResult[] results)
    {
        foreach (var result in results)
        {
            On(uri, verb, () => result);
        }

        return this;
    }

    public FakeVirshRunner On(string uri, string verb, Func<VirshResult> result)
    {
        var key = uri + " " + verb;
        if (!_script.TryGetValue(key, out var queue))
        {
            _script[key] = queue = new Queue<Func<VirshResult>>();
        }

        queue.Enqueue(result);
        return this;
    }

    public static VirshResult Ok(string stdout = "") => new(0, stdout, "");

    public static VirshResult Fail(string stderr) => new(1, "", stderr);

    public Task<VirshResult> RunAsync(IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Assert.Equal("-c", arguments[0]);
        Func<VirshResult> answer;
        lock (_gate)
        {
            Calls.Add(string.Join(' ', arguments));
            var key = arguments[1] + " " + arguments[2];
            if (!_script.TryGetValue(key, out var queue) || queue.Count == 0)
            {
                throw new InvalidOperationException($"unscripted virsh call: {string.Join(' ', arguments)}");
            }

            answer = queue.Count > 1 ? queue.Dequeue() : queue.Peek();
        }

        return Task.FromResult(answer());
    }
}
