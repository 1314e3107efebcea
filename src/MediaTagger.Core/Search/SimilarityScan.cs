namespace MediaTagger.Core.Search;

/// <summary>What one scan looks for.</summary>
public sealed class ScanRequest
{
    /// <summary>Unit vectors of what is wanted (anchor images, prompts). A row's score is the maximum dot product over them.</summary>
    public required IReadOnlyList<float[]> Positives { get; init; }

    /// <summary>Unit vectors of what is not wanted. A row closer to its best negative than to its best positive is not eligible.</summary>
    public IReadOnlyList<float[]> Negatives { get; init; } = [];

    public int K { get; init; } = 700;
    public float MinScore { get; init; }

    /// <summary>
    /// Optional filter on groups (assets), asked only for groups that would otherwise enter the top K, so a costly
    /// check (a catalog lookup, a sidecar read) runs a few thousand times, not once per stored vector. Must be thread-safe.
    /// </summary>
    public Func<int, bool>? Include { get; init; }

    /// <summary>Upper bound on worker threads; null: one per core for large stores, one for small ones.</summary>
    public int? MaxThreads { get; init; }

    /// <summary>The model's feature mean: when set, rows and queries are compared after subtracting it (see <see cref="QueryScorer"/>).</summary>
    public float[]? Mean { get; init; }

    /// <summary>The scorer of this request (queries centred once; prepared by <see cref="SimilarityScan.Validate"/> before workers share it).</summary>
    public QueryScorer Scorer => _scorer ??= new QueryScorer(Positives, Negatives, Mean);

    QueryScorer? _scorer;
}

/// <summary>
/// Brute-force cosine search over a resident store: SIMD dot products (TensorPrimitives), the rows split across
/// cores with a top-K heap per part, then merged. Vectors are unit length, so the dot product is the cosine similarity.
/// </summary>
public static class SimilarityScan
{
    /// <summary>Below this many rows per thread, more threads cost more than they save.</summary>
    const int MinRowsPerThread = 32_768;

    /// <summary>
    /// The top K: through the store's int8 copy and a float32 re-score when it has one (large stores), else a float32
    /// scan. Both give the same hits.
    /// </summary>
    public static ScanHit[] TopK(ResidentStore store, ScanRequest request, CancellationToken cancellationToken = default) =>
        store.Compact is { } compact ? CompactScan.TopK(store, compact, request, cancellationToken) : ExactTopK(store, request, cancellationToken);

    /// <summary>The top K by scoring every row with float32 dot products.</summary>
    public static ScanHit[] ExactTopK(ResidentStore store, ScanRequest request, CancellationToken cancellationToken = default)
    {
        Validate(store, request);
        var groups = store.GroupCount;
        if (groups == 0) return [];
        var threads = ThreadsFor(store.RowCount, request);
        // A few parts per thread keep every core busy when one is slowed by other work.
        var parts = threads == 1 ? 1 : Math.Min(groups, threads * 4);
        var heaps = new TopKHeap[parts];
        if (parts == 1)
        {
            heaps[0] = ScanPart(store, request, 0, groups, cancellationToken);
        }
        else
        {
            Workers.For(parts, threads, cancellationToken,
                p => heaps[p] = ScanPart(store, request, (int)((long)groups * p / parts), (int)((long)groups * (p + 1) / parts), cancellationToken));
        }
        var all = heaps.SelectMany(h => h.Items).ToArray();
        Array.Sort(all, ScanHit.CompareBestFirst);
        return all.Length > request.K ? all[..request.K] : all;
    }

    internal static void Validate(ResidentStore store, ScanRequest request)
    {
        if (request.Positives.Count == 0) throw new ArgumentException("At least one positive vector is needed.", nameof(request));
        foreach (var v in request.Positives.Concat(request.Negatives))
            if (v.Length != store.Dimension) throw new ArgumentException($"A query vector has {v.Length} dimensions; the store has {store.Dimension}.", nameof(request));
        if (request.Mean is { } mean && mean.Length != store.Dimension) throw new ArgumentException($"The feature mean has {mean.Length} dimensions; the store has {store.Dimension}.", nameof(request));
        _ = request.Scorer;
    }

    internal static int ThreadsFor(int rows, ScanRequest request) => Math.Clamp(rows / MinRowsPerThread, 1, request.MaxThreads ?? Environment.ProcessorCount);

    static TopKHeap ScanPart(ResidentStore store, ScanRequest request, int firstGroup, int endGroup, CancellationToken cancellationToken)
    {
        var heap = new TopKHeap(Math.Min(request.K, Math.Max(1, endGroup - firstGroup)));
        var minScore = request.MinScore;
        var include = request.Include;
        for (var g = firstGroup; g < endGroup; g++)
        {
            if ((g & 4095) == 0) cancellationToken.ThrowIfCancellationRequested();
            var (best, bestRow) = ScoreGroup(store, request.Scorer, g);
            if (bestRow < 0 || !(best >= minScore) || !heap.Accepts(best, g)) continue;
            if (include is not null && !include(g)) continue;
            heap.Push(new ScanHit(g, bestRow, best));
        }
        return heap;
    }

    /// <summary>A group's score (its best eligible row) and that row, or row -1 when no row is eligible.</summary>
    internal static (float Score, int Row) ScoreGroup(ResidentStore store, QueryScorer scorer, int g)
    {
        var (first, end) = store.RowsOf(g);
        var hasNegatives = scorer.NegativeCount > 0;
        var best = float.NegativeInfinity;
        var bestRow = -1;
        for (var row = first; row < end; row++)
        {
            var v = store.Row(row);
            var scale = scorer.RowScale(v);
            var score = scorer.BestPositive(v).Score * scale;
            if (score <= best) continue;
            if (hasNegatives && scorer.BestNegative(v).Score * scale > score) continue;
            best = score;
            bestRow = row;
        }
        return (best, bestRow);
    }
}
