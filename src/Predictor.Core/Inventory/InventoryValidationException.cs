using System.Collections.Immutable;

namespace Predictor.Core.Inventory;

/// <summary>One broken rule: where (a JSON-path-like location naming the element) and what.</summary>
/// <param name="Path">For example <c>hosts[3] (id "h-0004").memoryGiB</c>.</param>
/// <param name="Message">What is wrong and what was expected.</param>
public sealed record ValidationError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>An inventory broke one or more rules; <see cref="Errors"/> lists all of them.</summary>
public sealed class InventoryValidationException : Exception
{
    public InventoryValidationException(IReadOnlyList<ValidationError> errors, string? source = null)
        : base(FormatMessage(errors, source))
    {
        Errors = [.. errors];
        Origin = source;
    }

    public ImmutableArray<ValidationError> Errors { get; }

    /// <summary>The file or stream the inventory came from, when known.</summary>
    public string? Origin { get; }

    private static string FormatMessage(IReadOnlyList<ValidationError> errors, string? source)
    {
        var head = $"Inventory{(source is null ? "" : $" '{source}'")} is invalid ({errors.Count} error{(errors.Count == 1 ? "" : "s")}):";
        return head + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e));
    }
}
