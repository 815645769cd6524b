using System.ComponentModel.DataAnnotations;
using Predictor.Core.Configuration;

namespace Predictor.Daemon.Automation;

/// <summary>The kill switch. Bound from configuration section "Automation".</summary>
[OptionsSection(SectionName)]
public sealed class AutomationOptions
{
    public const string SectionName = "Automation";

    /// <summary>The file the daemon uses when <see cref="KillSwitchFile"/> is not configured (relative to the working directory).</summary>
    public const string DefaultKillSwitchFile = "predictor.kill-switch";

    /// <summary>Engage the kill switch from configuration: nothing is automated until the setting is removed and the daemon restarted.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool KillSwitch { get; set; }

    /// <summary>
    /// A file whose presence engages the kill switch (<c>touch</c> it; remove it to release). It works while the HTTP API is
    /// unreachable and survives restarts; <c>POST /api/v1/kill-switch</c> creates it and <c>DELETE</c> removes it. Empty: no file.
    /// </summary>
    /// <value>The default value is <c>predictor.kill-switch</c> in the working directory for the daemon; none for a <c>--for</c> scenario.</value>
    public string? KillSwitchFile { get; set; }

    /// <summary>How often the daemon looks for <see cref="KillSwitchFile"/> between passes.</summary>
    /// <value>The default value is 1 second.</value>
    [InRange(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan KillSwitchPollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>Who may change the daemon's state over HTTP. Bound from configuration section "Api".</summary>
[OptionsSection(SectionName)]
public sealed class ApiOptions : IValidatableObject
{
    public const string SectionName = "Api";

    /// <summary>The shortest token accepted.</summary>
    public const int MinTokenLength = 16;

    /// <summary>
    /// Bearer token the mutating endpoints (pause, resume, kill switch) require (<c>Authorization: Bearer TOKEN</c>), at least
    /// 16 characters. Without a token (here or in <see cref="TokenFile"/>) one is generated into <see cref="ApiTokenFile.DefaultPath"/> at the first start (mode 0600).
    /// </summary>
    /// <value>The default value is null.</value>
    public string? Token { get; set; }

    /// <summary>File holding the token (surrounding whitespace ignored); keeps it out of the configuration files.</summary>
    /// <value>The default value is null.</value>
    public string? TokenFile { get; set; }

    /// <summary>
    /// Named callers, each with its own token and role, besides the operators' token above (which acts as <c>admin</c>):
    /// <c>operate</c> may pause, resume, release hosts and resume a halted rollout; <c>admin</c> also engages and releases the
    /// kill switch; <c>read</c> may only read. Every accepted change is logged with the caller's name (event 8209).
    /// </summary>
    /// <value>The default value is empty.</value>
    public Dictionary<string, ApiCaller> Callers { get; set; } = [];

    /// <summary>
    /// A unix socket the API also listens on, guarded by file permissions instead of a token: the daemon creates its
    /// directory 0700 (and the socket 0600), so only the daemon's user (and root) can connect, and a request over it acts
    /// as the operators (<c>admin</c>, audited as <c>control-socket</c>). <c>predictor status --url unix:PATH</c> uses it.
    /// </summary>
    /// <value>The default value is null (none).</value>
    public string? ControlSocket { get; set; }

    /// <summary>The token requests must bear: <see cref="Token"/>, or the contents of <see cref="TokenFile"/>; null when neither is set.</summary>
    /// <exception cref="IOException"><see cref="TokenFile"/> cannot be read (the start-up validation reports that first).</exception>
    public string? ResolveToken() =>
        !string.IsNullOrEmpty(Token) ? Token.Trim()
        : !string.IsNullOrWhiteSpace(TokenFile) ? File.ReadAllText(TokenFile).Trim()
        : null;

    /// <summary>The section's rules: one token source, readable, long enough.</summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (ControlSocket is not null && (ControlSocket.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(Path.GetFullPath(ControlSocket)) > 100))
        {
            yield return OptionsError.Invalid($"{SectionName}:{nameof(ControlSocket)}", "not a usable socket path", ControlSocket, "a path of at most 100 bytes (a unix socket's limit)");
        }

        foreach (var (name, caller) in Callers)
        {
            string? callerToken = null;
            string? problem = null;
            try
            {
                callerToken = caller.ResolveToken();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problem = $"cannot read its token file: {e.Message}";
            }

            problem ??= callerToken is not { Length: >= MinTokenLength } ? $"needs a Token or TokenFile of at least {MinTokenLength} characters" : null;
            if (problem is not null)
            {
                yield return OptionsError.Problem($"{SectionName}:{nameof(Callers)}:{name}", problem);
            }
        }

        var token = string.IsNullOrEmpty(Token) ? null : Token.Trim();
        if (token is not null && token.Length < MinTokenLength)
        {
            // the token itself stays out of the message
            yield return OptionsError.Problem($"{SectionName}:{nameof(Token)}", $"too short (got {token.Length} characters; expected at least {MinTokenLength})");
        }

        if (string.IsNullOrWhiteSpace(TokenFile))
        {
            yield break;
        }

        if (token is not null)
        {
            yield return OptionsError.Problem($"{SectionName}:{nameof(TokenFile)}", $"set together with {SectionName}:{nameof(Token)} (expected one of the two)");
        }

        string? fromFile;
        string? unreadable = null;
        try
        {
            fromFile = File.ReadAllText(TokenFile).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            fromFile = null;
            unreadable = e.Message;
        }

        if (unreadable is not null)
        {
            yield return OptionsError.Invalid($"{SectionName}:{nameof(TokenFile)}", $"cannot read the file: {unreadable}", TokenFile, "a readable file holding the token");
        }
        else if (fromFile!.Length < MinTokenLength)
        {
            yield return OptionsError.Problem($"{SectionName}:{nameof(TokenFile)}", $"the token in '{TokenFile}' is too short (got {fromFile.Length} characters; expected at least {MinTokenLength})");
        }
    }
}

/// <summary>
/// The blast-radius guard: when too many hosts are flagged at risk within a window, that is more likely bad telemetry or a
/// bad model than a real wave of failures, so automation stops until an operator resumes it. Bound from section "Pipeline".
/// </summary>
[OptionsSection(SectionName)]
public sealed class BlastRadiusOptions
{
    public const string SectionName = "Pipeline";

    /// <summary>Share of the watched hosts which, flagged within <see cref="BlastRadiusWindow"/>, trips the guard (strictly more than this).</summary>
    /// <value>The default value is 0.05.</value>
    [InRange(0.0, 1.0)]
    public double BlastRadiusMaxShare { get; set; } = 0.05;

    /// <summary>The guard never trips on fewer flagged hosts than this, so one host of a small fleet does not stop everything.</summary>
    /// <value>The default value is 3.</value>
    [InRange(1, int.MaxValue)]
    public int BlastRadiusMinHosts { get; set; } = 3;

    /// <summary>Flags this recent count as "at once".</summary>
    /// <value>The default value is 1 hour.</value>
    [InRange(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan BlastRadiusWindow { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>What a caller of the API may do.</summary>
public enum ApiRole
{
    /// <summary>Read only.</summary>
    Read,

    /// <summary>Pause, resume, release hosts, resume a halted rollout.</summary>
    Operate,

    /// <summary>Everything, the kill switch included.</summary>
    Admin,
}

/// <summary>One named caller of the API: its token (or token file) and role.</summary>
public sealed class ApiCaller
{
    /// <value>The default value is null.</value>
    public string? Token { get; set; }

    /// <value>The default value is null.</value>
    public string? TokenFile { get; set; }

    /// <value>The default value is <see cref="ApiRole.Operate"/>.</value>
    public ApiRole Role { get; set; } = ApiRole.Operate;

    /// <summary>The token: <see cref="Token"/>, else the contents of <see cref="TokenFile"/>; null when neither is set.</summary>
    public string? ResolveToken() =>
        !string.IsNullOrEmpty(Token) ? Token.Trim()
        : !string.IsNullOrWhiteSpace(TokenFile) ? File.ReadAllText(TokenFile).Trim()
        : null;
}

/// <summary>The API's callers by token: the operators' token (admin) and the named ones; compared in constant time.</summary>
public sealed class ApiCallers
{
    /// <summary>The name the operators' token acts under.</summary>
    public const string Operators = "operators";

    private readonly (byte[] Token, string Name, ApiRole Role)[] _callers;

    public ApiCallers(string operatorsToken, IReadOnlyDictionary<string, ApiCaller> callers)
    {
        ArgumentNullException.ThrowIfNull(callers);
        _callers = [(System.Text.Encoding.UTF8.GetBytes(operatorsToken), Operators, ApiRole.Admin),
            .. callers.Select(c => (System.Text.Encoding.UTF8.GetBytes(c.Value.ResolveToken() ?? ""), c.Key, c.Value.Role)).Where(c => c.Item1.Length > 0)];
    }

    /// <summary>The caller bearing <paramref name="presented"/>, or null; every token is compared, in constant time each.</summary>
    public (string Name, ApiRole Role)? Identify(byte[] presented)
    {
        (string, ApiRole)? found = null;
        foreach (var (token, name, role) in _callers)
        {
            if (System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(presented, token) && found is null)
            {
                found = (name, role);
            }
        }

        return found;
    }
}
