using MediaTagger.Core.Library;

namespace MediaTagger.Core.Search;

/// <summary>One query vector and what to call it in results (the anchor's path or id, or the prompt), and which view of the anchor it is.</summary>
public sealed record QueryVector(string Label, float[] Vector, AnchorView? View = null);

public sealed class SearchOptions
{
    public int K { get; init; } = 700;
    public double MinScore { get; init; }

    /// <summary>
    /// Optional extra filter (e.g. "not already tagged", "not already reviewed"): false drops the asset. Asked only for
    /// assets that would otherwise make the top K, from worker threads, so it must be thread-safe.
    /// </summary>
    public Func<MediaAsset, bool>? Include { get; init; }

    public int? MaxThreads { get; init; }

    /// <summary>The model's feature mean (scores are cosines after subtracting it); null: plain cosine.</summary>
    public float[]? Mean { get; init; }
}

/// <summary>
/// Runs a query over a resident store and turns the hits into <see cref="MediaMatch"/> objects.
/// Score = max cosine similarity over the positives (after centring, when the model has a feature mean); a row closer to its best negative than to its best positive
/// is not eligible; a video scores as its best eligible frame; stored vectors whose asset is no longer in the catalog are skipped.
/// </summary>
public static class MediaSearch
{
    public static List<MediaMatch> Run(ResidentStore store, AssetCatalog catalog, IReadOnlyList<QueryVector> positives, IReadOnlyList<QueryVector> negatives,
        SearchOptions options, bool promptLabels, string model, CancellationToken cancellationToken = default)
    {
        catalog.FindById(""); // builds the id map here, not racily on the scan's worker threads
        var assets = store.AssetsIn(catalog);
        var include = options.Include;
        var request = new ScanRequest
        {
            Positives = positives.Select(p => p.Vector).ToArray(),
            Negatives = negatives.Select(n => n.Vector).ToArray(),
            K = options.K,
            MinScore = (float)options.MinScore,
            MaxThreads = options.MaxThreads,
            Mean = options.Mean,
            Include = g => assets.Of(g) is { } asset && (include is null || include(asset)),
        };
        var hits = SimilarityScan.TopK(store, request, cancellationToken);

        var matches = new List<MediaMatch>(hits.Length);
        foreach (var hit in hits)
        {
            var asset = assets.Of(hit.Group)!;
            var row = store.Row(hit.Row);
            var best = positives[request.Scorer.BestPositive(row).Index];
            var (first, end) = store.RowsOf(hit.Group);
            double? negative = negatives.Count > 0 ? request.Scorer.BestNegative(row).Score * request.Scorer.RowScale(row) : null;
            matches.Add(new MediaMatch(asset)
            {
                Score = hit.Score,
                Rank = matches.Count + 1,
                BestPrompt = promptLabels ? best.Label : null,
                BestAnchor = promptLabels ? null : best.Label,
                BestAnchorView = promptLabels ? null : best.View,
                BestFrame = asset.Type == MediaType.Video || end - first > 1 ? store.FrameOf(hit.Row) : null,
                NegativeScore = negative,
                Margin = hit.Score - negative,
                Model = model,
            });
        }
        return matches;
    }

    /// <summary>The stored vectors (every frame of a video, or only the frame <paramref name="onlyFrame"/> names for its id) of those of <paramref name="assetIds"/> that are in the store.</summary>
    public static Dictionary<string, List<float[]>> StoredVectors(ResidentStore store, IReadOnlyCollection<string> assetIds, IReadOnlyDictionary<string, int>? onlyFrame = null)
    {
        var vectors = new Dictionary<string, List<float[]>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, group) in store.FindGroups(assetIds))
        {
            var (first, end) = store.RowsOf(group);
            var list = new List<float[]>(end - first);
            int? frame = onlyFrame is not null && onlyFrame.TryGetValue(id, out var f) ? f : null;
            for (var r = first; r < end; r++)
                if (frame is null || store.FrameOf(r) == frame) list.Add(store.CopyRow(r));
            if (list.Count > 0) vectors[id] = list;
        }
        return vectors;
    }

    /// <summary>The saved form of a query and its results (<c>data/last_query.json</c>).</summary>
    public static QueryRecord ToRecord(IReadOnlyList<MediaMatch> matches, Action<QueryRecord> describe)
    {
        var record = new QueryRecord();
        describe(record);
        record.Results = matches.Select(m => new QueryResultItem
        {
            Id = m.Id,
            Path = m.Path,
            RelativePath = m.RelativePath,
            Type = m.Type.ToString().ToLowerInvariant(),
            Score = m.Score,
            Rank = m.Rank,
            BestAnchor = m.BestAnchor,
            BestAnchorView = m.BestAnchorView,
            BestPrompt = m.BestPrompt,
            BestFrame = m.BestFrame,
            NegativeScore = m.NegativeScore,
            Margin = m.Margin,
        }).ToList();
        return record;
    }
}
