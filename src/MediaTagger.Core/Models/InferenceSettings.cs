using System.Globalization;
using MediaTagger.Core.Common;

namespace MediaTagger.Core.Models;

/// <summary>
/// How a model runs inference: <see cref="Batch"/> images per call (when the graph's batch is free),
/// <see cref="IntraOpThreads"/> threads inside each call, <see cref="Lanes"/> calls at once, and whether idle intra-op
/// threads spin (<see cref="Spinning"/>; off by default, so decoding the next images beside inference gets the cores).
/// bench-embed sweeps these for bare ONNX Runtime and prints the best; <see cref="EnvironmentVariable"/> sets them for a
/// machine where the defaults are not the best (e.g. <c>batch=16,threads=1,lanes=2,spin=1</c>; keys left out keep their default).
/// </summary>
public sealed record InferenceSettings(int Batch, int IntraOpThreads, int Lanes, bool Spinning = false)
{
    public const string EnvironmentVariable = "MEDIATAGGER_INFERENCE";

    /// <summary>
    /// A graph that takes one image per call (the built-in ResNet18): one thread per call and one call per core, with no
    /// barrier between threads; it was the best setting in every sweep on 2 cores, quiet or loaded.
    /// </summary>
    public static InferenceSettings SingleImage => new(1, 1, Environment.ProcessorCount);

    /// <summary>
    /// A graph with a free batch (CLIP image towers): 16 images per call on every core. On a quiet 2-core machine the sweep
    /// found this best for ViT-B/32: larger batches let each weight matrix be read once for more images, and one call
    /// per core (each streaming the 350 MB of weights on its own) fell behind.
    /// </summary>
    public static InferenceSettings Batched => new(16, Environment.ProcessorCount, 1);

    /// <summary><paramref name="defaults"/>, with what <see cref="EnvironmentVariable"/> sets in its place.</summary>
    /// <exception cref="MediaTaggerException">The variable is set to something unreadable (<see cref="ErrorIds.InferenceSettingsInvalid"/>).</exception>
    public static InferenceSettings FromEnvironment(InferenceSettings defaults) =>
        Parse(Environment.GetEnvironmentVariable(EnvironmentVariable), defaults);

    /// <summary>Reads "batch=N,threads=N,lanes=N,spin=0|1" (any subset, any order; commas or semicolons) over <paramref name="defaults"/>.</summary>
    public static InferenceSettings Parse(string? text, InferenceSettings defaults)
    {
        var result = defaults;
        if (string.IsNullOrWhiteSpace(text)) return result;
        foreach (var part in text.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Split('=', 2, StringSplitOptions.TrimEntries);
            var key = kv[0].ToLowerInvariant();
            if (kv.Length != 2 || !int.TryParse(kv[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 1024 || (n < 1 && key != "spin"))
                throw Invalid(text, $"'{part}' is not key=number with a number from 1 to 1024 (spin: 0 or 1)");
            result = key switch
            {
                "spin" when n <= 1 => result with { Spinning = n == 1 },
                "spin" => throw Invalid(text, "spin is 0 (off) or 1 (on)"),
                "batch" => result with { Batch = n },
                "threads" => result with { IntraOpThreads = n },
                "lanes" => result with { Lanes = n },
                _ => throw Invalid(text, $"'{kv[0]}' is not one of batch, threads, lanes, spin (0 or 1)"),
            };
        }
        return result;
    }

    static MediaTaggerException Invalid(string text, string why) =>
        new(ErrorIds.InferenceSettingsInvalid, $"{EnvironmentVariable}='{text}' cannot be used: {why}. Example: {EnvironmentVariable}='batch=16,threads=1,lanes=2'; remove the variable for the defaults.",
            ErrorKind.InvalidArgument, text);

    public override string ToString() => $"batch {Batch}, {IntraOpThreads} intra-op thread(s), {Lanes} call(s) at once, spinning {(Spinning ? "on" : "off")}";
}
