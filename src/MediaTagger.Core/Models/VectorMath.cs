using System.Numerics.Tensors;

namespace MediaTagger.Core.Models;

/// <summary>Vector helpers shared by the models and their tests.</summary>
public static class VectorMath
{
    /// <summary>Scales <paramref name="v"/> to unit length in place (a zero vector stays zero rather than becoming NaN).</summary>
    public static float[] Normalize(float[] v)
    {
        var norm = TensorPrimitives.Norm(v);
        if (norm > 1e-12f) TensorPrimitives.Divide(v, norm, v);
        return v;
    }

    /// <summary>Cosine similarity of two unit vectors (their dot product).</summary>
    public static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => TensorPrimitives.Dot(a, b);
}
