namespace Predictor.Execution.Hypervisors.Qmp;

/// <summary>QEMU answered a QMP command with an error object.</summary>
internal sealed class QmpCommandException(string socketPath, string command, string errorClass, string description)
    : Exception($"QMP command '{command}' on {socketPath} failed: {errorClass}: {description}")
{
    public string Command { get; } = command;

    public string ErrorClass { get; } = errorClass;

    public string Description { get; } = description;
}

/// <summary>The QMP connection could not be opened, broke, or closed while a command or wait was pending.</summary>
internal sealed class QmpConnectionException(string message, Exception? inner = null) : Exception(message, inner);
