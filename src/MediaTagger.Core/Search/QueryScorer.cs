using System.Numerics.Tensors;

namespace MediaTagger.Core.Search;

/// <summary>
/// Scores stored unit vectors against a query's positives and negatives: the cosine similarity, after subtracting the
/// model's feature mean when it has one (see <see cref="Models.FeatureStatistics"/>). Stored rows are never rewritten:
/// for a unit row x and mean m, |x − m|² = 1 − 2·x·m + m·m, so centring costs one extra dot product per row, and
/// cos(x − m, q̂) = (x·q̂ − m·q̂) / |x − m| with q̂ the centred, normalised query, prepared once here.
/// </summary>
public sealed class QueryScorer
{
    readonly float[]? _mean;
    readonly float _meanNormSquared;
    readonly float[][] _positives, _negatives;
    readonly float[] _positiveOffsets, _negativeOffsets;

    public QueryScorer(IReadOnlyList<float[]> positives, IReadOnlyList<float[]> negatives, float[]? mean)
    {
        _mean = mean;
        _meanNormSquared = mean is null ? 0 : TensorPrimitives.Dot(mean, mean);
        (_positives, _positiveOffsets) = Prepare(positives);
        (_negatives, _negativeOffsets) = Prepare(negatives);
    }

    public int PositiveCount => _positives.Length;
    public int NegativeCount => _negatives.Length;

    /// <summary>The mean, or null for plain cosine.</summary>
    internal float[]? Mean => _mean;

    internal float MeanNormSquared => _meanNormSquared;

    /// <summary>The positives as compared (centred and normalised when there is a mean) and what is subtracted from their dot products.</summary>
    internal (float[][] Vectors, float[] Offsets) PreparedPositives => (_positives, _positiveOffsets);

    internal (float[][] Vectors, float[] Offsets) PreparedNegatives => (_negatives, _negativeOffsets);

    (float[][] Vectors, float[] Offsets) Prepare(IReadOnlyList<float[]> vectors)
    {
        var prepared = new float[vectors.Count][];
        var offsets = new float[vectors.Count];
        for (var i = 0; i < vectors.Count; i++)
        {
            if (_mean is null) { prepared[i] = vectors[i]; continue; }
            var v = new float[vectors[i].Length];
            TensorPrimitives.Subtract(vectors[i], _mean, v);
            Models.VectorMath.Normalize(v);
            prepared[i] = v;
            offsets[i] = TensorPrimitives.Dot(_mean, v);
        }
        return (prepared, offsets);
    }

    /// <summary>1 / |row − mean| (1 without a mean): the factor that turns row·q̂ − offset into a cosine.</summary>
    public float RowScale(ReadOnlySpan<float> row)
    {
        if (_mean is null) return 1f;
        var squared = 1f - 2f * TensorPrimitives.Dot(row, _mean) + _meanNormSquared;
        return squared > 1e-12f ? 1f / MathF.Sqrt(squared) : 0f;
    }

    /// <summary>The best positive score of a row (before <see cref="RowScale"/>), and which positive it was.</summary>
    public (float Score, int Index) BestPositive(ReadOnlySpan<float> row) => Best(row, _positives, _positiveOffsets);

    public (float Score, int Index) BestNegative(ReadOnlySpan<float> row) => Best(row, _negatives, _negativeOffsets);

    static (float Score, int Index) Best(ReadOnlySpan<float> row, float[][] vectors, float[] offsets)
    {
        var best = float.NegativeInfinity;
        var index = -1;
        for (var i = 0; i < vectors.Length; i++)
        {
            var s = TensorPrimitives.Dot(row, vectors[i]) - offsets[i];
            if (s > best) (best, index) = (s, i);
        }
        return (best, index);
    }
}
