using System.Text.Json;
using MediaTagger.Core.Common;

namespace MediaTagger.Core.Models;

/// <summary>
/// The mean feature vector of a model whose features are not centred (ResNet18's pooled features are all
/// non-negative, so any two photos score 0.3–0.8 by plain cosine). Searches subtract it before comparing, which spreads
/// scores over the whole scale: unrelated photos near 0, copies near 1. It ships inside this assembly for the weights
/// it was computed with (<see cref="ModelId"/>), so it needs no download and old stores need no migration: stored
/// vectors are unchanged, only the comparison is. bench/New-FeatureStatistics.ps1 recomputes it.
/// </summary>
public sealed class FeatureStatistics
{
    /// <summary>The weights the mean belongs to (the store's model id).</summary>
    public string ModelId { get; set; } = "";

    /// <summary>How it was computed (which pictures, how many vectors).</summary>
    public string Source { get; set; } = "";

    public int Count { get; set; }

    /// <summary>Mean of the unit-length feature vectors.</summary>
    public float[] Mean { get; set; } = [];

    static readonly Lazy<List<FeatureStatistics>> Shipped = new(LoadShipped);

    /// <summary>The statistics shipped for the weights <paramref name="modelId"/>; null when there are none (CLIP models are centred enough as they are).</summary>
    public static FeatureStatistics? For(string modelId) =>
        Shipped.Value.FirstOrDefault(s => string.Equals(s.ModelId, modelId, StringComparison.Ordinal));

    /// <summary>The mean of <paramref name="vectors"/> (unit length, as stored).</summary>
    public static FeatureStatistics Compute(string modelId, string source, IReadOnlyList<float[]> vectors)
    {
        var mean = new double[vectors[0].Length];
        foreach (var v in vectors)
            for (var i = 0; i < mean.Length; i++) mean[i] += v[i];
        return new FeatureStatistics { ModelId = modelId, Source = source, Count = vectors.Count, Mean = mean.Select(x => (float)(x / vectors.Count)).ToArray() };
    }

    static List<FeatureStatistics> LoadShipped()
    {
        var assembly = typeof(FeatureStatistics).Assembly;
        var list = new List<FeatureStatistics>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("MediaTagger.Statistics.", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            if (JsonSerializer.Deserialize<FeatureStatistics>(stream, Json.Options) is { Mean.Length: > 0 } stats) list.Add(stats);
        }
        return list;
    }
}
