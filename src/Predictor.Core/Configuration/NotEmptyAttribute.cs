using System.ComponentModel.DataAnnotations;

namespace Predictor.Core.Configuration;

/// <summary>A required text setting: null, empty and white space fail, in the form of every configuration error.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class NotEmptyAttribute : ValidationAttribute
{
    /// <summary>What the value should be, for the message (e.g. <c>a database name</c>).</summary>
    public string Expected { get; set; } = "a non-empty value";

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        return value is string s && !string.IsNullOrWhiteSpace(s)
            ? ValidationResult.Success
            : OptionsError.Invalid($"{OptionsSectionAttribute.Of(validationContext.ObjectType)}:{validationContext.MemberName}", "empty", value, Expected);
    }
}
