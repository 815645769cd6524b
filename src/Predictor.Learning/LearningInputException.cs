namespace Predictor.Learning;

/// <summary>
/// Bad input a user can fix: a CSV cell that is not a number, a label that is not 0/1, a model file
/// that is corrupt or was trained on other features. The message names the file, line, column or field.
/// </summary>
public sealed class LearningInputException : Exception
{
    public LearningInputException(string message)
        : base(message)
    {
    }

    public LearningInputException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public LearningInputException()
    {
    }
}
