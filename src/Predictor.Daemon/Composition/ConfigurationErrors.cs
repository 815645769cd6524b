using Microsoft.Extensions.Options;

namespace Predictor.Daemon.Composition;

/// <summary>What a failed start says about the configuration, however the host wrapped it.</summary>
public static class ConfigurationErrors
{
    /// <summary>What <c>predictor VERB</c> prints for a configuration it refuses: a count, then each error indented, one a line.</summary>
    public static string Report(string verb, IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var lines = errors.Select(e => "  " + e + Environment.NewLine);
        return $"predictor {verb}: the configuration is invalid ({errors.Count} error{(errors.Count == 1 ? "" : "s")}):{Environment.NewLine}{string.Concat(lines)}";
    }

    /// <summary>Every options-validation failure inside <paramref name="e"/>, and the message of a bad file or value.</summary>
    public static List<string> Of(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var result = new List<string>();
        void Walk(Exception x)
        {
            switch (x)
            {
                case OptionsValidationException o:
                    result.AddRange(o.Failures);
                    break;
                case AggregateException a:
                    foreach (var inner in a.InnerExceptions)
                    {
                        Walk(inner);
                    }

                    break;
                case InvalidDataException or FileNotFoundException or FormatException or InvalidOperationException when x.InnerException is null:
                    result.Add(x.Message);
                    break;
                default:
                    if (x.InnerException is not null)
                    {
                        Walk(x.InnerException);
                    }

                    break;
            }
        }

        Walk(e);
        return result;
    }
}
