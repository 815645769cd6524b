using Predictor.Core.Files;
using System.Security.Cryptography;

namespace Predictor.Daemon.Automation;

/// <summary>
/// The operators' API token when none is configured: generated once into <see cref="DefaultPath"/> (relative to the
/// daemon's working directory, its state directory under systemd) with mode 0600, and read from there afterwards, so
/// every mutating endpoint needs a credential from the first start on — loopback included.
/// </summary>
public static class ApiTokenFile
{
    /// <summary>Where the token is generated when neither <c>Api:Token</c> nor <c>Api:TokenFile</c> is set.</summary>
    public const string DefaultPath = "api-token";

    /// <summary>The token requests must bear; generates <see cref="DefaultPath"/> when no token is configured and the file does not exist yet.</summary>
    /// <returns>The token, and the path of a file generated now (null when the token was configured or the file existed).</returns>
    /// <exception cref="IOException">The file cannot be read or created (the message names it).</exception>
    /// <param name="options">The Api section.</param>
    /// <param name="defaultPath">Where to generate the token; <see cref="DefaultPath"/> unless a test says otherwise.</param>
    public static (string Token, string? Generated) Resolve(ApiOptions options, string defaultPath = DefaultPath)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ResolveToken() is { } configured)
        {
            return (configured, null);
        }

        var path = Path.GetFullPath(defaultPath);
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (existing.Length < ApiOptions.MinTokenLength)
            {
                throw new IOException($"{path}: holds a token of {existing.Length} characters; expected at least {ApiOptions.MinTokenLength} (delete the file to have a new one generated)");
            }

            return (existing, null);
        }

        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        using (var file = new StreamWriter(path, PrivateFiles.Create(FileMode.CreateNew, FileAccess.Write, FileShare.None)))
        {
            file.WriteLine(token);
        }

        return (token, path);
    }
}
