using Microsoft.Extensions.Options;

namespace Predictor.Daemon;

/// <summary>Adapts an options type's own <c>Validate()</c> (every problem as a sentence) to start-up validation.</summary>
internal sealed class ListValidator<T>(Func<T, IReadOnlyList<string>> validate) : IValidateOptions<T>
    where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var errors = validate(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
