using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace Predictor.Core.Configuration;

/// <summary>
/// For a library type constructed without the options system: the same attribute and <see cref="IValidatableObject"/>
/// rules the daemon's start-up validators run, as an argument check.
/// </summary>
public static class OptionsGuard
{
    /// <summary>Every problem with <paramref name="options"/>, in the configuration-error form; empty when they are valid.</summary>
    public static IReadOnlyList<string> Errors(object options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var results = new List<ValidationResult>();
        // property by property, then the object's own rules: Validator.TryValidateObject skips the latter once an
        // attribute fails, and the options source generator does not, so both report every problem at once
        foreach (var property in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0 && property.CanRead)
            {
                _ = Validator.TryValidateProperty(property.GetValue(options), new ValidationContext(options) { MemberName = property.Name }, results);
            }
        }

        if (options is IValidatableObject validatable)
        {
            results.AddRange(validatable.Validate(new ValidationContext(options)));
        }

        return [.. results.Select(r => r.ErrorMessage ?? "")];
    }

    /// <exception cref="ArgumentException">The options break a rule; the message names every problem.</exception>
    public static void ThrowIfInvalid(object options, string paramName)
    {
        var errors = Errors(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), paramName);
        }
    }
}
