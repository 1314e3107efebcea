namespace MediaTagger.Core.Search;

/// <summary>
/// Exact top-K search in two passes. The first pass reads only the int8 copy (<see cref="CompactRows"/>, a quarter of
/// the bytes of the float32 rows) and gives every group a lower and an upper bound on its true score. Once K groups
/// certainly score at least τ (the K-th largest lower bound among groups certainly eligible and included), a group
/// whose upper bound is below τ cannot be in the top K, whatever ties do. The second pass scores the remaining
/// shortlist with the float32 rows through the same code as <see cref="SimilarityScan"/>, so the result is the exact
/// result: same groups, same rows, same float scores, same order.
/// </summary>
public static unsafe class CompactScan
{
    public static ScanHit[] TopK(ResidentStore store, CompactRows compact, ScanRequest request, CancellationToken cancellationToken = default)
    {
        SimilarityScan.Validate(store, request);
        if (compact.Count != store.RowCount || compact.Dimension != store.Dimension)
            throw new ArgumentException("The compact rows were not built from this store.", nameof(compact));
        var groups = store.GroupCount;
        if (groups == 0) return [];

        // The vectors the exact pass compares (centred when the model has a feature mean), and the mean itself, whose
        // dot product bounds the row's centred length.
        var scorer = request.Scorer;
        var positives = scorer.PreparedPositives.Vectors.Select(p => new CompactRows.Query(p, compact.Stride)).ToArray();
        var negatives = scorer.PreparedNegatives.Vectors.Select(n => new CompactRows.Query(n, compact.Stride)).ToArray();
        var centred = scorer.Mean is { } m ? compact.CentredScalesFor(m, scorer.MeanNormSquared, cancellationToken) : null;
        try
        {
            var threads = SimilarityScan.ThreadsFor(store.RowCount, request);
            var parts = threads == 1 ? 1 : Math.Min(groups, threads * 4);
            ScanHit[] Pass(Func<int, bool>? include, out float tau, out bool full)
            {
                var results = new Part[parts];
                Workers.For(parts, threads, cancellationToken,
                    p => results[p] = FirstPass(store, compact, positives, negatives, centred, request, include, (int)((long)groups * p / parts), (int)((long)groups * (p + 1) / parts), cancellationToken));
                return Rescore(store, request, results, cancellationToken, out tau, out full);
            }
            // The include filter (a catalog lookup, a sidecar read) is first left out of the bounds: a shortlist cut at τ
            // computed over all groups is still complete when K included groups score at least τ (every group cut off
            // scores below τ). Only when the filter removed too many does a second pass compute τ over included groups.
            var hits = Pass(null, out var tau, out var full);
            if (request.Include is null || float.IsNegativeInfinity(tau) || full && hits[^1].Score >= tau) return hits;
            return Pass(request.Include, out _, out _);
        }
        finally
        {
            foreach (var q in positives.Concat(negatives)) q.Dispose();
        }
    }

    sealed class Part(int k)
    {
        public readonly FloatMinHeap Lower = new(k);
        public readonly List<(int Group, float Upper)> Candidates = [];
    }

    static Part FirstPass(ResidentStore store, CompactRows compact, CompactRows.Query[] positives, CompactRows.Query[] negatives, CentredScales? centred,
        ScanRequest request, Func<int, bool>? include, int firstGroup, int endGroup, CancellationToken cancellationToken)
    {
        var scorer = request.Scorer;
        float[] positiveOffsets = scorer.PreparedPositives.Offsets, negativeOffsets = scorer.PreparedNegatives.Offsets;
        var k = Math.Clamp(request.K, 1, store.GroupCount);
        var part = new Part(k);
        var minScore = request.MinScore;
        var stride = compact.Stride;
        var rounding = CompactRows.RoundingFactor(compact.Dimension);
        float[] scale = compact.Scale, codeNorm = compact.CodeNorm, residual = compact.Residual;
        var tau = float.NegativeInfinity;
        var pruneAt = 4 * k + 1024;
        for (var g = firstGroup; g < endGroup; g++)
        {
            if ((g & 8191) == 0) cancellationToken.ThrowIfCancellationRequested();
            var (first, end) = store.RowsOf(g);
            float groupLower = float.NegativeInfinity, groupUpper = float.NegativeInfinity;
            for (var row = first; row < end; row++)
            {
                var codes = compact.Codes(row);
                float s = scale[row], cn = codeNorm[row], rn = residual[row], xn = (cn + rn) * rounding;
                // Centred scores are (x·q̂ − offset) / |x − m|: 1 / |x − m| lies in the row's precomputed range (1 exactly without a mean).
                float scaleLower = 1f, scaleUpper = 1f, slack = 0f;
                if (centred is not null)
                {
                    scaleLower = centred.Lower[row];
                    scaleUpper = centred.Upper[row];
                    slack = 1e-5f;
                }
                var bounds = new RowBounds(codes, stride, s, cn, rn + xn, slack, scaleLower, scaleUpper);
                var (posUpper, posLower) = bounds.Best(positives, positiveOffsets);
                // Neither its upper bound nor (smaller still) its lower bound can matter any more.
                if (posUpper < tau || posUpper < groupUpper && posLower <= groupLower) continue;
                var rowLower = posLower;
                var rowUpper = posUpper;
                if (negatives.Length > 0)
                {
                    var (negUpper, negLower) = bounds.Best(negatives, negativeOffsets);
                    // A row counts only when not closer to its best negative: certain when negUpper ≤ posLower, ruled out when negLower > posUpper.
                    if (!(negUpper <= posLower)) rowLower = float.NegativeInfinity;
                    if (negLower > posUpper) rowUpper = float.NegativeInfinity;
                }
                groupLower = MathF.Max(groupLower, rowLower);
                groupUpper = MathF.Max(groupUpper, rowUpper);
            }
            // Comparisons are written so a NaN bound keeps the group (the exact pass decides).
            if (groupUpper < tau || groupUpper < minScore) continue;
            part.Candidates.Add((g, groupUpper));
            if (groupLower >= minScore && part.Lower.Accepts(groupLower) && (include is null || include(g)))
            {
                part.Lower.Push(groupLower);
                if (part.Lower.IsFull) tau = part.Lower.Min;
            }
            if (part.Candidates.Count >= pruneAt)
            {
                var t = tau;
                part.Candidates.RemoveAll(c => c.Upper < t);
                pruneAt = 2 * part.Candidates.Count + 4 * k + 1024;
            }
        }
        return part;
    }

    /// <summary>One row's int8 codes and error terms: upper and lower bounds on its (centred) score against queries.</summary>
    readonly struct RowBounds(sbyte* codes, int stride, float scale, float codeNorm, float residualAndRounding, float slack, float scaleLower, float scaleUpper)
    {
        /// <summary>The largest upper and the largest lower bound over <paramref name="queries"/> (minus their offsets, times the row's 1 / |x − m|).</summary>
        public (float Upper, float Lower) Best(CompactRows.Query[] queries, float[] offsets)
        {
            float upper = float.NegativeInfinity, lower = float.NegativeInfinity;
            for (var i = 0; i < queries.Length; i++)
            {
                var q = queries[i];
                var a = scale * q.T * CompactRows.Dot(codes, q.Codes, stride) - offsets[i];
                var e = codeNorm * q.SigmaNorm + residualAndRounding * q.Norm + slack;
                upper = MathF.Max(upper, Scaled(a + e, upperBound: true));
                lower = MathF.Max(lower, Scaled(a - e, upperBound: false));
            }
            return (upper, lower);
        }

        /// <summary>
        /// A bound on t·s given a bound t on the unscaled score and s in [scaleLower, scaleUpper] (positive): the largest
        /// product for an upper bound, the smallest for a lower one. Without a mean both are 1 and t comes back unchanged.
        /// </summary>
        float Scaled(float t, bool upperBound)
        {
            if (scaleLower == 1f && scaleUpper == 1f) return t;
            return upperBound ? t * (t >= 0 ? scaleUpper : scaleLower) : t * (t >= 0 ? scaleLower : scaleUpper);
        }
    }

    /// <summary>Scores the shortlist exactly, best upper bound first, stopping once no remaining group can enter the top K.</summary>
    static ScanHit[] Rescore(ResidentStore store, ScanRequest request, Part[] parts, CancellationToken cancellationToken, out float tau, out bool full)
    {
        var k = Math.Clamp(request.K, 1, store.GroupCount);
        var lower = new FloatMinHeap(k);
        foreach (var part in parts)
            foreach (var value in part.Lower.Items)
                if (lower.Accepts(value)) lower.Push(value);
        tau = lower.IsFull ? lower.Min : float.NegativeInfinity;
        var cut = tau;
        var shortlist = parts.SelectMany(p => p.Candidates).Where(c => !(c.Upper < cut)).ToArray();
        // Highest upper bound first (NaN first: it is unbounded); group order among equals keeps the scan deterministic.
        Array.Sort(shortlist, (a, b) =>
        {
            var byUpper = float.IsNaN(a.Upper) || float.IsNaN(b.Upper) ? float.IsNaN(b.Upper).CompareTo(float.IsNaN(a.Upper)) : b.Upper.CompareTo(a.Upper);
            return byUpper != 0 ? byUpper : a.Group.CompareTo(b.Group);
        });

        var heap = new TopKHeap(k);
        var minScore = request.MinScore;
        var include = request.Include;
        for (var i = 0; i < shortlist.Length; i++)
        {
            if ((i & 1023) == 0) cancellationToken.ThrowIfCancellationRequested();
            var (g, upper) = shortlist[i];
            // Full, and even this bound loses to the weakest kept hit: every later candidate's bound is lower still.
            if (!float.IsNaN(upper) && !heap.Accepts(upper, -1)) break;
            var (score, row) = SimilarityScan.ScoreGroup(store, request.Scorer, g);
            if (row < 0 || !(score >= minScore) || !heap.Accepts(score, g)) continue;
            if (include is not null && !include(g)) continue;
            heap.Push(new ScanHit(g, row, score));
        }
        var all = heap.Items.ToArray();
        Array.Sort(all, ScanHit.CompareBestFirst);
        full = all.Length == k;
        return all;
    }
}

/// <summary>The K largest floats seen: a min-heap whose root is the K-th largest once full.</summary>
sealed class FloatMinHeap(int capacity)
{
    readonly float[] _items = new float[Math.Max(1, capacity)];
    int _count;

    public bool IsFull => _count == _items.Length;
    public float Min => _items[0];
    public IEnumerable<float> Items => _items.Take(_count);

    public bool Accepts(float value) => !IsFull || value > _items[0];

    public void Push(float value)
    {
        if (!IsFull)
        {
            var i = _count++;
            _items[i] = value;
            while (i > 0 && _items[(i - 1) / 2] > _items[i])
            {
                (_items[i], _items[(i - 1) / 2]) = (_items[(i - 1) / 2], _items[i]);
                i = (i - 1) / 2;
            }
            return;
        }
        if (!(value > _items[0])) return;
        _items[0] = value;
        for (var i = 0; ;)
        {
            int l = 2 * i + 1, r = l + 1, m = i;
            if (l < _count && _items[l] < _items[m]) m = l;
            if (r < _count && _items[r] < _items[m]) m = r;
            if (m == i) return;
            (_items[i], _items[m]) = (_items[m], _items[i]);
            i = m;
        }
    }
}
