using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Predictor.Core.Configuration;

/// <summary>
/// The one form of every configuration error: <c>Section:Key: what is wrong (got X; expected Y).</c> The key is the full
/// configuration path, as an operator would set it (<c>--Limits:MaxConcurrent=4</c>).
/// </summary>
public static class OptionsError
{
    /// <summary><c>{key}: {problem} (got {got}; expected {expected}).</c></summary>
    public static ValidationResult Invalid(string key, string problem, object? got, string expected) =>
        new(Message(key, problem, got, expected));

    /// <summary><c>{key}: {problem}.</c>, for a problem no single value shows (two keys that exclude each other, a missing file).</summary>
    public static ValidationResult Problem(string key, string problem) => new(Message(key, problem));

    /// <summary><c>{key}: {problem}.</c></summary>
    public static string Message(string key, string problem) => $"{key}: {problem}.";

    /// <summary><c>{key}: {problem} (got {got}; expected {expected}).</c></summary>
    public static string Message(string key, string problem, object? got, string expected) =>
        $"{key}: {problem} (got {Show(got)}; expected {expected}).";

    /// <summary>A value as an operator wrote it: strings quoted, numbers and durations in invariant form, switches as in JSON, nothing as <c>nothing</c>.</summary>
    public static string Show(object? value) => value switch
    {
        null => "nothing",
        bool b => b ? "true" : "false",
        string s => $"'{s}'",
        Uri u => $"'{u}'",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
