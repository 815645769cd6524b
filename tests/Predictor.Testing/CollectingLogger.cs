using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Predictor.Testing;

/// <summary>A logger that keeps every entry so tests can assert on what operators would read.</summary>
public sealed class CollectingLogger<T> : ILogger<T>
{
    public ConcurrentQueue<(LogLevel Level, EventId Id, string Message)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, eventId, formatter(state, exception)));

    public IEnumerable<string> Messages => Entries.Select(e => e.Message);
}
