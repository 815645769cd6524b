using System.Text;
using Predictor.Learning.Models;
using Predictor.Learning.Tests.Models;
using Predictor.Testing.Fuzz;

namespace Predictor.Learning.Tests;

/// <summary>Model files, fuzzed: a damaged file is refused with <see cref="LearningInputException"/> naming it, never a crash.</summary>
public sealed class FuzzTests
{
    [Fact]
    public void ModelFileReader_MutatedModel_RefusedNeverCrashes()
    {
        var seed = Encoding.UTF8.GetBytes(ModelFile.ToJson(ModelFileTests.Trained()));

        Fuzzer.Run("model-file", [seed], input => ModelFileReader.Parse(Encoding.UTF8.GetString(input), "fuzz.json"), typeof(LearningInputException));
    }
}
