using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Predictor.Core.Configuration;

namespace Predictor.Daemon.Composition;

/// <summary>
/// Reads every options type the daemon validates, from the configuration the services were built with, and reports every
/// problem at once in the <see cref="OptionsError"/> form: the validators' failures, and values the binder cannot read
/// (<c>Pipeline:Interval: cannot be read as a duration (got 'soon'; expected a duration such as 00:05:00).</c>) instead
/// of the binder's exception. Nothing a configuration file holds makes it throw.
/// </summary>
public static partial class ConfigurationCheck
{
    /// <summary>Every problem with the configuration; empty when the daemon may start.</summary>
    /// <param name="services">The daemon's services (or a scope of them).</param>
    /// <param name="fresh">Read through <see cref="IOptionsSnapshot{TOptions}"/> (a scope's own reading, for a configuration that changes) instead of the cached <see cref="IOptions{TOptions}"/>.</param>
    public static IReadOnlyList<string> Errors(IServiceProvider services, bool fresh = false)
    {
        ArgumentNullException.ThrowIfNull(services);
        var configuration = services.GetRequiredService<IConfiguration>();
        var errors = new List<string>();
        foreach (var type in services.GetRequiredService<ValidatedOptions>().Types)
        {
            var accessor = services.GetRequiredService((fresh ? typeof(IOptionsSnapshot<>) : typeof(IOptions<>)).MakeGenericType(type));
            try
            {
                _ = accessor.GetType().GetProperty(nameof(IOptions<object>.Value))!.GetValue(accessor);
            }
            catch (TargetInvocationException e) when (e.InnerException is OptionsValidationException failure)
            {
                errors.AddRange(failure.Failures);
            }
            catch (TargetInvocationException e) when (e.InnerException is InvalidOperationException unreadable && Unreadable(unreadable, configuration) is { } message)
            {
                errors.Add(message);
            }
        }

        errors.AddRange(Listeners.Problems(configuration));
        return errors;
    }

    /// <summary>The binder's "failed to convert" as an options error naming the key, the value and what was expected; null for another failure.</summary>
    private static string? Unreadable(InvalidOperationException e, IConfiguration configuration)
    {
        if (Conversion().Match(e.Message) is not { Success: true } match)
        {
            return null;
        }

        var key = match.Groups["key"].Value;
        var name = match.Groups["type"].Value;
        var type = Type.GetType(name) ?? AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(name)).FirstOrDefault(t => t is not null);
        var target = Nullable.GetUnderlyingType(type ?? typeof(object)) ?? type;
        var expected = target switch
        {
            null => $"a {match.Groups["type"].Value}",
            _ when target == typeof(TimeSpan) => "a duration such as 00:05:00",
            _ when target == typeof(bool) => "true or false",
            _ when target == typeof(Uri) => "an address such as http://127.0.0.1:8086/",
            _ when target.IsEnum => "one of " + string.Join(", ", Enum.GetNames(target)),
            _ when target == typeof(int) || target == typeof(long) => $"a whole number from {target.GetField("MinValue")!.GetValue(null)} to {target.GetField("MaxValue")!.GetValue(null)}",
            _ when target == typeof(double) => "a number",
            _ => "a " + target.Name,
        };
        return OptionsError.Message(key, $"cannot be read as {Name(target, match.Groups["type"].Value)}", configuration[key], expected);
    }

    private static string Name(Type? type, string fallback) => type switch
    {
        null => fallback,
        _ when type == typeof(TimeSpan) => "a duration",
        _ when type == typeof(bool) => "a switch",
        _ when type == typeof(Uri) => "an address",
        _ when type.IsEnum => "a choice",
        _ when type == typeof(int) || type == typeof(long) || type == typeof(double) => "a number",
        _ => type.Name,
    };

    [GeneratedRegex("^Failed to convert configuration value (?:'.*' )?at '(?<key>[^']+)' to type '(?<type>[^']+)'", RegexOptions.Singleline)]
    private static partial Regex Conversion();
}
