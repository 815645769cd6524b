using System.Diagnostics;
using System.Security.Cryptography;

namespace Predictor.Testing.Fuzz;

/// <summary>
/// A small mutation fuzzer of our own: starts from valid seed inputs and applies seeded byte-level mutations (bit flips,
/// interesting bytes, insertions, deletions, duplicated and spliced chunks), feeding each result to a parser that may
/// reject it only in its documented way. Any other exception, or an input taking over a second, is a failure: the input
/// is kept under <c>tests/fuzz-findings/&lt;target&gt;/</c> and the test names it. Inputs kept as regression cases under
/// <c>tests/Predictor.Testing/Fuzz/Regressions/&lt;target&gt;/</c> run first on every run. The number of mutations per target is
/// <see cref="DefaultIterations"/> in the suite, or <c>PREDICTOR_FUZZ_ITERATIONS</c> for a long run.
/// </summary>
public static class Fuzzer
{
    public const int DefaultIterations = 20_000;

    private static readonly byte[] s_interesting = [0, 0x7f, 0x80, 0xff, (byte)'"', (byte)'\\', (byte)',', (byte)'=', (byte)' ', (byte)'\n', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)':', (byte)'-', (byte)'e', (byte)'9', 0xc3, 0xe2, 0xf0];

    public static int Iterations => int.TryParse(Environment.GetEnvironmentVariable("PREDICTOR_FUZZ_ITERATIONS"), out var n) && n > 0 ? n : DefaultIterations;

    /// <summary>Runs the parser over the seeds and regression cases, then over <see cref="Iterations"/> mutations of the seeds; throws naming the kept input on a crash or a hang.</summary>
    /// <param name="target">Names the parser (regression and findings folders).</param>
    /// <param name="seeds">Valid inputs to start from.</param>
    /// <param name="parse">The parser; it throws only <paramref name="rejects"/> for bad input.</param>
    /// <param name="rejects">The exception types that are the parser's documented refusal.</param>
    public static void Run(string target, IReadOnlyList<byte[]> seeds, Action<byte[]> parse, params Type[] rejects)
    {
        var regressions = Path.Combine(Repository.Root, "tests", "Predictor.Testing", "Fuzz", "Regressions", target);
        var inputs = Directory.Exists(regressions) ? Directory.GetFiles(regressions).Select(File.ReadAllBytes) : [];
        foreach (var input in seeds.Concat(inputs))
        {
            Check(target, input, parse, rejects);
        }

        var random = new Random(target.Aggregate(17, (h, c) => h * 31 + c));
        var pool = seeds.ToList();
        for (var i = 0; i < Iterations; i++)
        {
            var input = Mutate(pool[random.Next(pool.Count)], pool[random.Next(pool.Count)], random);
            Check(target, input, parse, rejects);
            if (i % 64 == 0 && input.Length < 1 << 16)
            {
                pool.Add(input); // mutations of mutations reach further from the seeds
            }
        }
    }

    private static void Check(string target, byte[] input, Action<byte[]> parse, Type[] rejects)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            parse(input);
        }
        catch (Exception e) when (!rejects.Any(r => r.IsInstanceOfType(e)))
        {
            throw new InvalidOperationException($"{target}: crashed with {e.GetType().Name}: {e.Message}; input kept at {Keep(target, input)}", e);
        }
        catch (Exception)
        {
            // the parser's documented refusal
        }

        if (watch.Elapsed > TimeSpan.FromSeconds(1))
        {
            throw new InvalidOperationException($"{target}: took {watch.Elapsed.TotalSeconds:0.0} s on one input of {input.Length} bytes; input kept at {Keep(target, input)}");
        }
    }

    private static string Keep(string target, byte[] input)
    {
        var directory = Path.Combine(Repository.Root, "tests", "fuzz-findings", target);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, Convert.ToHexStringLower(SHA256.HashData(input))[..16] + ".bin");
        File.WriteAllBytes(path, input);
        return path;
    }

    private static byte[] Mutate(byte[] seed, byte[] other, Random random)
    {
        var data = new List<byte>(seed);
        var rounds = 1 + random.Next(4);
        for (var r = 0; r < rounds; r++)
        {
            var at = data.Count == 0 ? 0 : random.Next(data.Count);
            switch (random.Next(7))
            {
                case 0 when data.Count > 0:
                    data[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when data.Count > 0:
                    data[at] = s_interesting[random.Next(s_interesting.Length)];
                    break;
                case 2:
                    data.Insert(at, s_interesting[random.Next(s_interesting.Length)]);
                    break;
                case 3 when data.Count > 0:
                    data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(16)));
                    break;
                case 4 when data.Count > 0:
                    var length = Math.Min(data.Count - at, 1 + random.Next(64));
                    data.InsertRange(random.Next(data.Count), data.GetRange(at, length));
                    break;
                case 5 when other.Length > 0:
                    var from = random.Next(other.Length);
                    data.InsertRange(at, other.AsSpan(from, Math.Min(other.Length - from, 1 + random.Next(128))).ToArray());
                    break;
                default:
                    if (data.Count > 0)
                    {
                        data.RemoveRange(at, data.Count - at); // truncated
                    }

                    break;
            }
        }

        return [.. data];
    }
}
