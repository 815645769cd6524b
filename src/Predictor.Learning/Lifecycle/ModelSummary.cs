using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Predictor.Learning.Models;

namespace Predictor.Learning.Lifecycle;

/// <summary>What retraining needs to know of a model file: its features, horizon, the options it was trained with, its digest.</summary>
/// <param name="Path">The file.</param>
/// <param name="Sha256">Hex SHA-256 of the file.</param>
/// <param name="Kind">gbdt or logistic.</param>
/// <param name="CreatedAt">When it was trained.</param>
/// <param name="Features">Its features, in order.</param>
/// <param name="HorizonHours">What its probability speaks of: failure within this many hours.</param>
/// <param name="TrainingRows">Rows it was trained on.</param>
/// <param name="Options">The training options recorded in the file (learner, trees, leaves, learning rate, calibration, seed, …).</param>
public sealed record ModelSummary(
    string Path, string Sha256, string Kind, DateTimeOffset CreatedAt, IReadOnlyList<string> Features, double HorizonHours, int TrainingRows, JsonObject Options)
{
    /// <summary>Reads and validates a model file.</summary>
    /// <exception cref="LearningInputException">The file is missing or not a valid model file; the message says why.</exception>
    public static ModelSummary Read(string path)
    {
        var model = ModelFileReader.Load(path);
        return new ModelSummary(
            System.IO.Path.GetFullPath(path), Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))), model.Kind, model.CreatedAt,
            model.Features, model.Training.HorizonHours, model.Training.Rows, (JsonObject)model.Training.Options.DeepClone());
    }
}
