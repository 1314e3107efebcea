using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MediaTagger.Core.Search;

/// <summary>
/// An int8 copy of a resident store's rows (a quarter of the float32 bytes) for the first pass of <see cref="CompactScan"/>.
/// Row r is stored as codes a (each in [-127, 127]) and a scale s with x = s·a + ρ. With the query q = t·b + σ
/// quantized the same way, x·q = s·t·(a·b) + s·(a·σ) + ρ·q, so by Cauchy–Schwarz the integer dot product a·b gives
/// x·q to within s‖a‖·‖σ‖ + ‖ρ‖·‖q‖. Both norms per row are kept, which makes that bound tight enough to shortlist
/// a few thousand rows out of millions and still prove the true top K is among them.
/// </summary>
public sealed unsafe class CompactRows : IDisposable
{
    /// <summary>Codes per row, padded with zeros to whole 32-byte blocks for the SIMD kernel.</summary>
    readonly int _stride;
    sbyte* _codes;

    CompactRows(int count, int dimension, int stride, sbyte* codes, float[] scale, float[] codeNorm, float[] residual)
    {
        Count = count;
        Dimension = dimension;
        _stride = stride;
        _codes = codes;
        Scale = scale;
        CodeNorm = codeNorm;
        Residual = residual;
    }

    ~CompactRows() => Free();

    public int Count { get; }
    public int Dimension { get; }

    /// <summary>s per row.</summary>
    internal float[] Scale { get; }

    /// <summary>s·‖a‖ per row, rounded up.</summary>
    internal float[] CodeNorm { get; }

    /// <summary>‖x − s·a‖ per row, rounded up.</summary>
    internal float[] Residual { get; }

    /// <summary>Bytes held: codes plus the three numbers per row (two more once a centred query has run).</summary>
    public long Bytes => (long)Count * (_stride + (_centred is null ? 3 : 5) * sizeof(float));

    internal sbyte* Codes(int row) => _codes + (long)row * _stride;

    /// <summary>Quantizes every row of a loaded store (its rows are one contiguous block).</summary>
    public static CompactRows Build(ResidentStore store, CancellationToken cancellationToken = default)
    {
        if (store.RowCount == 0) return Build(null, 0, store.Dimension, cancellationToken);
        fixed (float* rows = store.Row(0)) return Build(rows, store.RowCount, store.Dimension, cancellationToken);
    }

    /// <summary>Quantizes <paramref name="count"/> rows of <paramref name="dimension"/> floats, on every core.</summary>
    public static CompactRows Build(float* rows, int count, int dimension, CancellationToken cancellationToken = default)
    {
        var compact = Allocate(count, dimension);
        try
        {
            const int block = 4096;
            Workers.For((count + block - 1) / block, Environment.ProcessorCount, cancellationToken,
                b => compact.Fill(rows, b * block, Math.Min(count, (b + 1) * block)));
        }
        catch
        {
            compact.Dispose();
            throw;
        }
        return compact;
    }

    /// <summary>An int8 copy of <paramref name="count"/> rows, each filled in later by <see cref="Fill"/> (the codes are native memory, not a managed array: 10M rows are 5 GB).</summary>
    internal static CompactRows Allocate(int count, int dimension)
    {
        var stride = (dimension + 31) / 32 * 32;
        var codes = (sbyte*)NativeMemory.AlignedAlloc((nuint)Math.Max(1, (long)count * stride), 64);
        return new CompactRows(count, dimension, stride, codes, new float[count], new float[count], new float[count]);
    }

    /// <summary>Quantizes rows [<paramref name="first"/>, <paramref name="end"/>) of the block at <paramref name="rows"/> (row r at rows + r·dimension).</summary>
    internal void Fill(float* rows, int first, int end)
    {
        for (var r = first; r < end; r++)
        {
            var x = new ReadOnlySpan<float>(rows + (long)r * Dimension, Dimension);
            (Scale[r], CodeNorm[r], Residual[r]) = Quantize(x, new Span<sbyte>(_codes + (long)r * _stride, _stride));
        }
    }

    /// <summary>
    /// Writes the codes of <paramref name="x"/> into <paramref name="codes"/> (zero padded) and returns s, s·‖a‖ and ‖x − s·a‖,
    /// the norms computed in double and rounded up so the bound stays a bound.
    /// </summary>
    internal static (float Scale, float CodeNorm, float Residual) Quantize(ReadOnlySpan<float> x, Span<sbyte> codes)
    {
        codes.Clear();
        var max = x.Length == 0 ? 0f : MathF.Abs(TensorPrimitives.MaxMagnitude(x));
        if (!(max > 0) || !float.IsFinite(max)) return (0f, 0f, float.IsFinite(max) ? 0f : float.PositiveInfinity);
        var s = max / 127f;
        var inv = 127f / max;
        double aa = 0, rr = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var a = (int)MathF.Round(x[i] * inv);
            a = Math.Clamp(a, -127, 127);
            codes[i] = (sbyte)a;
            aa += (double)a * a;
            var rho = x[i] - (double)s * a;
            rr += rho * rho;
        }
        return (s, RoundUp((double)s * Math.Sqrt(aa)), RoundUp(Math.Sqrt(rr)));
    }

    static float RoundUp(double v) => v == 0 ? 0f : MathF.BitIncrement((float)(v * (1 + 1e-6)));

    /// <summary>a·b over one padded row; <paramref name="stride"/> is a multiple of 32 and every code lies in [-127, 127].</summary>
    internal static int Dot(sbyte* a, sbyte* b, int stride)
    {
        if (Avx2.IsSupported)
        {
            // |a|·sign(b, a) keeps every pair of products within int16 (2·127·127 < 32767): vpmaddubsw never saturates.
            var ones = Vector256.Create((short)1);
            var sum0 = Vector256<int>.Zero;
            var sum1 = Vector256<int>.Zero;
            var i = 0;
            for (; i + 64 <= stride; i += 64)
            {
                var a0 = Avx.LoadVector256(a + i);
                var b0 = Avx.LoadVector256(b + i);
                var a1 = Avx.LoadVector256(a + i + 32);
                var b1 = Avx.LoadVector256(b + i + 32);
                var p0 = Avx2.MultiplyAddAdjacent(Avx2.Abs(a0), Avx2.Sign(b0, a0));
                var p1 = Avx2.MultiplyAddAdjacent(Avx2.Abs(a1), Avx2.Sign(b1, a1));
                sum0 = Avx2.Add(sum0, Avx2.MultiplyAddAdjacent(p0, ones));
                sum1 = Avx2.Add(sum1, Avx2.MultiplyAddAdjacent(p1, ones));
            }
            for (; i < stride; i += 32)
            {
                var a0 = Avx.LoadVector256(a + i);
                var b0 = Avx.LoadVector256(b + i);
                sum0 = Avx2.Add(sum0, Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(Avx2.Abs(a0), Avx2.Sign(b0, a0)), ones));
            }
            return Vector256.Sum(Avx2.Add(sum0, sum1));
        }
        // Portable path (Arm and others): widen to int16, multiply, widen to int32 and add.
        var total = Vector128<int>.Zero;
        for (var i = 0; i < stride; i += 16)
        {
            var (al, ah) = Vector128.Widen(Vector128.Load(a + i));
            var (bl, bh) = Vector128.Widen(Vector128.Load(b + i));
            var (l0, l1) = Vector128.Widen(al * bl);
            var (h0, h1) = Vector128.Widen(ah * bh);
            total += l0 + l1 + h0 + h1;
        }
        return Vector128.Sum(total);
    }

    /// <summary>A query vector quantized like the rows: its codes (padded), t, ‖σ‖ and ‖q‖ (both rounded up).</summary>
    internal sealed class Query : IDisposable
    {
        public Query(float[] q, int stride)
        {
            Codes = (sbyte*)NativeMemory.AlignedAlloc((nuint)stride, 64);
            var span = new Span<sbyte>(Codes, stride);
            (T, _, SigmaNorm) = Quantize(q, span);
            double qq = 0;
            foreach (var v in q) qq += (double)v * v;
            Norm = RoundUp(Math.Sqrt(qq));
        }

        public sbyte* Codes { get; private set; }
        public float T { get; }
        public float SigmaNorm { get; }
        public float Norm { get; }

        public void Dispose()
        {
            if (Codes != null) NativeMemory.AlignedFree(Codes);
            Codes = null;
        }
    }

    internal int Stride => _stride;

    CentredScales? _centred;
    readonly object _centredGate = new();

    /// <summary>
    /// Bounds on 1 / |x − m| for every row and the model's feature mean m, computed once per mean and kept: they depend
    /// on the row and the mean only, never on the query, so a centred query's first pass costs no more than a plain one.
    /// </summary>
    internal CentredScales CentredScalesFor(float[] mean, float meanNormSquared, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _centred) is { } known && known.Matches(mean)) return known;
        lock (_centredGate)
        {
            if (_centred is { } again && again.Matches(mean)) return again;
            var lower = new float[Count];
            var upper = new float[Count];
            using var m = new Query(mean, _stride);
            var rounding = RoundingFactor(Dimension);
            const int block = 8192;
            Workers.For((Count + block - 1) / block, Environment.ProcessorCount, cancellationToken, b =>
            {
                var end = Math.Min(Count, (b + 1) * block);
                for (var row = b * block; row < end; row++)
                {
                    float s = Scale[row], cn = CodeNorm[row], rn = Residual[row], xn = (cn + rn) * rounding;
                    // |x − m|² = 1 − 2·x·m + m·m, with x·m bounded like any query's dot product (Cauchy–Schwarz plus rounding).
                    var am = s * m.T * Dot(Codes(row), m.Codes, _stride);
                    var em = cn * m.SigmaNorm + (rn + xn) * m.Norm;
                    var largest = 1f - 2f * (am - em) + meanNormSquared;
                    var smallest = 1f - 2f * (am + em) + meanNormSquared;
                    // Room for the float rounding of the exact pass's subtraction, square root and product.
                    lower[row] = largest > 0f ? (1f - 1e-5f) / MathF.Sqrt(largest) : 0f;
                    upper[row] = smallest > 1e-12f ? (1f + 1e-5f) / MathF.Sqrt(smallest) : float.PositiveInfinity;
                }
            });
            var computed = new CentredScales((float[])mean.Clone(), lower, upper);
            Volatile.Write(ref _centred, computed);
            return computed;
        }
    }

    /// <summary>Covers the rounding of both float dot products (≤ n·2⁻²⁴·‖x‖‖q‖ each) with room to spare.</summary>
    internal static float RoundingFactor(int dimension) => (dimension + 16) * MathF.Pow(2, -22);

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    void Free()
    {
        var p = _codes;
        _codes = null;
        if (p != null) NativeMemory.AlignedFree(p);
    }
}

/// <summary>Per-row bounds on 1 / |x − m| for one feature mean (see <see cref="CompactRows.CentredScalesFor"/>).</summary>
sealed class CentredScales(float[] mean, float[] lower, float[] upper)
{
    public float[] Lower { get; } = lower;
    public float[] Upper { get; } = upper;

    /// <summary>Compared by value: a mean read again from disk still finds its bounds.</summary>
    public bool Matches(float[] other) => other.AsSpan().SequenceEqual(mean);
}
