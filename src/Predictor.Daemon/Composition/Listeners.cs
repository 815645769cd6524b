using System.Globalization;
using Microsoft.Extensions.Configuration;
using Predictor.Core.Configuration;
using Predictor.Daemon.Automation;

namespace Predictor.Daemon.Composition;

/// <summary>Where the daemon's HTTP listeners are and whom they answer: the control socket beside <c>Urls</c>, and the Host allow-list.</summary>
public static class Listeners
{
    /// <summary>Adds the control socket's endpoint (<c>Api:ControlSocket</c>) and the loopback <c>AllowedHosts</c> default to <paramref name="configuration"/>.</summary>
    /// <exception cref="InvalidOperationException">The control socket's directory cannot be made (the message is an options error).</exception>
    public static void Configure(ConfigurationManager configuration, string defaultUrls)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ListenOnControlSocket(configuration, defaultUrls);
        AllowLoopbackHostsOnly(configuration);
    }

    /// <summary>
    /// Configuration the listeners cannot honour: writers' client certificates (<c>Push:ClientCertificates</c>) are asked
    /// for only on HTTPS endpoints, so with none every push would be refused (Required) or the option would do nothing.
    /// </summary>
    public static IEnumerable<string> Problems(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var certificates = configuration["Push:ClientCertificates"];
        if (string.IsNullOrEmpty(certificates) || certificates.Equals("None", StringComparison.OrdinalIgnoreCase))
        {
            yield break;
        }

        var urls = Urls(configuration);
        if (!urls.Any(u => u.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
        {
            yield return OptionsError.Message("Push:ClientCertificates",
                $"{certificates} needs an HTTPS endpoint, where TLS client certificates are asked for (got {(urls.Count == 0 ? "no Urls" : string.Join(";", urls))}; expected an https:// URL in Urls or Kestrel:Endpoints)");
        }
    }

    private static List<string> Urls(IConfiguration configuration) =>
        (configuration["Urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>())
            .ToList();

    /// <summary>
    /// A daemon that listens on loopback only answers only requests addressed to a loopback name (<c>AllowedHosts</c>,
    /// ASP.NET Core's host filter; 400 otherwise), so a web page whose name an attacker points at 127.0.0.1 (DNS
    /// rebinding) cannot read the API through the operator's browser. Listening elsewhere, the operator lists the names
    /// the daemon is reached by; an explicit <c>AllowedHosts</c> always wins.
    /// </summary>
    internal static void AllowLoopbackHostsOnly(ConfigurationManager configuration)
    {
        var urls = Urls(configuration);
        static bool Loopback(string url) =>
            url.Contains("://unix:", StringComparison.Ordinal) ||
            Uri.TryCreate(url.Replace("://+", "://plus", StringComparison.Ordinal).Replace("://*", "://star", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            && (uri.IsLoopback || uri.Host is "localhost");
        if (string.IsNullOrEmpty(configuration["AllowedHosts"]) && urls.Count > 0 && urls.All(Loopback))
        {
            configuration.AddInMemoryCollection([new("AllowedHosts", "localhost;127.0.0.1;[::1]")]);
        }
    }

    /// <summary>
    /// Adds the API's unix socket (<c>Api:ControlSocket</c>) as a Kestrel endpoint. Kestrel ignores <c>Urls</c> once it
    /// has endpoints of its own, so those are carried over as endpoints too.
    /// </summary>
    internal static void ListenOnControlSocket(ConfigurationManager configuration, string defaultUrls)
    {
        if (configuration[$"{ApiOptions.SectionName}:{nameof(ApiOptions.ControlSocket)}"] is not { Length: > 0 } socket)
        {
            return;
        }

        var endpoints = new Dictionary<string, string?>();
        if (!configuration.GetSection("Kestrel:Endpoints").GetChildren().Any())
        {
            var urls = (configuration["Urls"] ?? defaultUrls).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            for (var i = 0; i < urls.Length; i++)
            {
                endpoints[string.Create(CultureInfo.InvariantCulture, $"Kestrel:Endpoints:Url{i}:Url")] = urls[i];
            }
        }

        try
        {
            endpoints["Kestrel:Endpoints:ControlSocket:Url"] = "http://unix:" + ControlSocket.Prepare(socket);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InvalidOperationException(OptionsError.Message($"{ApiOptions.SectionName}:{nameof(ApiOptions.ControlSocket)}", $"cannot prepare it: {e.Message}", socket, "a path in a directory the daemon may create"));
        }

        configuration.AddInMemoryCollection(endpoints);
    }
}
