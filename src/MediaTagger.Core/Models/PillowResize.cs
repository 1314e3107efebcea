using System.Numerics;
using System.Runtime.CompilerServices;

namespace MediaTagger.Core.Models;

/// <summary>Pillow's resampling filters, by the codes PIL and Hugging Face configs use ("resample": 3 = bicubic).</summary>
public enum PillowFilter
{
    Nearest = 0,
    Lanczos = 1,
    Bilinear = 2,
    Bicubic = 3,
    Box = 4,
    Hamming = 5,
}

/// <summary>
/// Pillow's Image.resize for 8-bit RGB, bit for bit (libImaging/Resample.c): separable convolution, horizontal pass
/// first, the filter widened by the scale when shrinking (antialiasing), coefficients in 22-bit fixed point, and every
/// pass rounded and clamped to 8 bits. CLIP models were trained on images made this way (Hugging Face
/// CLIPImageProcessor, OpenCLIP), so their embeddings are only reproducible with the same arithmetic.
/// </summary>
public static class PillowResize
{
    const int PrecisionBits = 32 - 8 - 2;

    /// <summary>Resizes interleaved RGB <paramref name="rgb"/> (<paramref name="width"/>×<paramref name="height"/>) to <paramref name="newWidth"/>×<paramref name="newHeight"/>.</summary>
    public static byte[] Resize(byte[] rgb, int width, int height, int newWidth, int newHeight, PillowFilter filter) =>
        ResizeCrop(rgb, width, height, newWidth, newHeight, filter, 0, 0, newWidth, newHeight);

    /// <summary>
    /// The <paramref name="cropWidth"/>×<paramref name="cropHeight"/> window at (<paramref name="left"/>, <paramref name="top"/>)
    /// of <see cref="Resize"/>'s result, computing only that window: a centre crop of a resized photo skips the columns
    /// and rows it drops, and every pixel it keeps is computed with the very same arithmetic as in the whole image.
    /// </summary>
    public static byte[] ResizeCrop(byte[] rgb, int width, int height, int newWidth, int newHeight, PillowFilter filter,
        int left, int top, int cropWidth, int cropHeight)
    {
        if (left < 0 || top < 0 || cropWidth < 1 || cropHeight < 1 || left + cropWidth > newWidth || top + cropHeight > newHeight)
            throw new ArgumentOutOfRangeException(nameof(left), $"the window {cropWidth}x{cropHeight}+{left}+{top} is not inside {newWidth}x{newHeight}");
        if (newWidth == width && newHeight == height) return Crop(rgb, width, left, top, cropWidth, cropHeight);
        if (filter == PillowFilter.Nearest) return Nearest(rgb, width, height, newWidth, newHeight, left, top, cropWidth, cropHeight);
        var (support, kernel) = Kernel(filter);
        // As Pillow: a pass whose size does not change is skipped, not run as an identity.
        if (newHeight == height)
        {
            var (hb, hk, hs) = Coefficients(width, newWidth, support, kernel, left, cropWidth);
            return Horizontal(rgb, width, top, cropHeight, cropWidth, hb, hk, hs);
        }
        var (vertBounds, vertK, vertSize) = Coefficients(height, newHeight, support, kernel, top, cropHeight);
        // Only the rows the vertical pass reads are resampled horizontally.
        var firstRow = vertBounds[0];
        var lastRow = vertBounds[(cropHeight - 1) * 2] + vertBounds[(cropHeight - 1) * 2 + 1];
        byte[] source;
        int sourceWidth;
        if (newWidth != width)
        {
            var (horBounds, horK, horSize) = Coefficients(width, newWidth, support, kernel, left, cropWidth);
            source = Horizontal(rgb, width, firstRow, lastRow - firstRow, cropWidth, horBounds, horK, horSize);
            sourceWidth = cropWidth;
        }
        else
        {
            source = Crop(rgb, width, left, firstRow, cropWidth, lastRow - firstRow);
            sourceWidth = cropWidth;
        }
        return Vertical(source, sourceWidth, firstRow, cropHeight, vertBounds, vertK, vertSize);
    }

    static byte[] Crop(byte[] rgb, int width, int left, int top, int cropWidth, int cropHeight)
    {
        var dst = new byte[cropWidth * cropHeight * 3];
        for (var y = 0; y < cropHeight; y++)
            Buffer.BlockCopy(rgb, ((top + y) * width + left) * 3, dst, y * cropWidth * 3, cropWidth * 3);
        return dst;
    }

    static (double Support, Func<double, double> Kernel) Kernel(PillowFilter filter) => filter switch
    {
        PillowFilter.Box => (0.5, x => x > -0.5 && x <= 0.5 ? 1.0 : 0.0),
        PillowFilter.Bilinear => (1.0, x => { x = Math.Abs(x); return x < 1.0 ? 1.0 - x : 0.0; }),
        PillowFilter.Hamming => (1.0, x =>
        {
            x = Math.Abs(x);
            if (x == 0.0) return 1.0;
            if (x >= 1.0) return 0.0;
            x *= Math.PI;
            // Pillow writes these two constants as floats (0.54f, 0.46f): widened to double they differ from 0.54 and 0.46.
            return Math.Sin(x) / x * (0.54f + 0.46f * Math.Cos(x));
        }),
        PillowFilter.Lanczos => (3.0, x => x >= -3.0 && x < 3.0 ? Sinc(x) * Sinc(x / 3.0) : 0.0),
        _ => (2.0, Bicubic),
    };

    static double Sinc(double x)
    {
        if (x == 0.0) return 1.0;
        x *= Math.PI;
        return Math.Sin(x) / x;
    }

    /// <summary>Keys' cubic with a = −0.5, as Pillow defines bicubic.</summary>
    static double Bicubic(double x)
    {
        const double a = -0.5;
        x = Math.Abs(x);
        if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
        return 0.0;
    }

    /// <summary>
    /// precompute_coeffs + normalize_coeffs_8bpc for output pixels <paramref name="first"/>..first+count-1: per output
    /// pixel, the first input pixel, how many, and fixed-point weights.
    /// </summary>
    static (int[] Bounds, int[] Weights, int KSize) Coefficients(int inSize, int outSize, double filterSupport, Func<double, double> kernel, int first, int count)
    {
        var scale = (double)inSize / outSize;
        var filterScale = Math.Max(scale, 1.0);
        var support = filterSupport * filterScale;
        var ksize = (int)Math.Ceiling(support) * 2 + 1;
        var bounds = new int[count * 2];
        var weights = new int[count * ksize];
        var k = new double[ksize];
        for (var o = 0; o < count; o++)
        {
            var xx = first + o;
            var center = (xx + 0.5) * scale;
            var ss = 1.0 / filterScale;
            // C's (int) cast truncates toward zero; Pillow relies on it before clamping.
            var xmin = Math.Max(0, (int)(center - support + 0.5));
            var xmax = Math.Min(inSize, (int)(center + support + 0.5)) - xmin;
            var ww = 0.0;
            for (var x = 0; x < xmax; x++)
            {
                var w = kernel((x + xmin - center + 0.5) * ss);
                k[x] = w;
                ww += w;
            }
            for (var x = 0; x < xmax; x++)
            {
                var w = ww != 0.0 ? k[x] / ww : k[x];
                weights[o * ksize + x] = w < 0 ? (int)(-0.5 + w * (1 << PrecisionBits)) : (int)(0.5 + w * (1 << PrecisionBits));
            }
            bounds[o * 2] = xmin;
            bounds[o * 2 + 1] = xmax;
        }
        return (bounds, weights, ksize);
    }

    static byte Clip8(int v)
    {
        v >>= PrecisionBits;
        return v < 0 ? (byte)0 : v > 255 ? (byte)255 : (byte)v;
    }

    // The passes below are the hot loop of image preprocessing: raw pointers, because bounds checks on every tap cost
    // more than the arithmetic. Every index stays inside the arrays by construction of the bounds above.

    /// <summary>The horizontal pass over <paramref name="rows"/> rows of <paramref name="src"/> from <paramref name="firstRow"/>, giving the <paramref name="newWidth"/> columns whose coefficients are given.</summary>
    static unsafe byte[] Horizontal(byte[] src, int width, int firstRow, int rows, int newWidth, int[] bounds, int[] weights, int ksize)
    {
        var dst = new byte[newWidth * rows * 3];
        fixed (byte* s = src, d = dst)
        fixed (int* b = bounds, k = weights)
        {
            for (var y = 0; y < rows; y++)
            {
                var row = s + (long)(firstRow + y) * width * 3;
                var o = d + (long)y * newWidth * 3;
                for (var xx = 0; xx < newWidth; xx++, o += 3)
                {
                    var xmax = b[xx * 2 + 1];
                    var w = k + xx * ksize;
                    var p = row + b[xx * 2] * 3;
                    int s0 = 1 << (PrecisionBits - 1), s1 = s0, s2 = s0;
                    for (var x = 0; x < xmax; x++, p += 3)
                    {
                        var c = w[x];
                        s0 += p[0] * c;
                        s1 += p[1] * c;
                        s2 += p[2] * c;
                    }
                    o[0] = Clip8(s0);
                    o[1] = Clip8(s1);
                    o[2] = Clip8(s2);
                }
            }
        }
        return dst;
    }

    /// <summary>The vertical pass over <paramref name="src"/> (<paramref name="width"/> pixels wide), whose first row is input row <paramref name="firstRow"/>.</summary>
    static unsafe byte[] Vertical(byte[] src, int width, int firstRow, int newHeight, int[] bounds, int[] weights, int ksize)
    {
        var stride = width * 3;
        var dst = new byte[stride * newHeight];
        var acc = new int[stride];
        fixed (byte* s = src, d = dst)
        fixed (int* b = bounds, k = weights, a = acc)
        {
            for (var yy = 0; yy < newHeight; yy++)
            {
                // Row by row into an accumulator: the same sums, in the same order, as Pillow's column-wise loop.
                new Span<int>(a, stride).Fill(1 << (PrecisionBits - 1));
                var top = s + (long)(b[yy * 2] - firstRow) * stride;
                var ymax = b[yy * 2 + 1];
                for (var y = 0; y < ymax; y++) Accumulate(a, top + (long)y * stride, k[yy * ksize + y], stride);
                Store(d + (long)yy * stride, a, stride);
            }
        }
        return dst;
    }

    // The vertical pass adds whole rows: SIMD, 32 bytes at a time. Integer sums, so the order of the additions cannot
    // change a result; every value is the scalar loop's.

    /// <summary>a[i] += p[i] × c for the <paramref name="count"/> bytes of a row.</summary>
    static unsafe void Accumulate(int* a, byte* p, int c, int count)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var cv = new Vector<int>(c);
            var n = Vector<int>.Count;
            for (; i <= count - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                Vector.Widen(Unsafe.ReadUnaligned<Vector<byte>>(p + i), out var low, out var high);
                Vector.Widen(low, out var w0, out var w1);
                Vector.Widen(high, out var w2, out var w3);
                var q = a + i;
                Unsafe.WriteUnaligned(q, Unsafe.ReadUnaligned<Vector<int>>(q) + Vector.AsVectorInt32(w0) * cv);
                Unsafe.WriteUnaligned(q + n, Unsafe.ReadUnaligned<Vector<int>>(q + n) + Vector.AsVectorInt32(w1) * cv);
                Unsafe.WriteUnaligned(q + 2 * n, Unsafe.ReadUnaligned<Vector<int>>(q + 2 * n) + Vector.AsVectorInt32(w2) * cv);
                Unsafe.WriteUnaligned(q + 3 * n, Unsafe.ReadUnaligned<Vector<int>>(q + 3 * n) + Vector.AsVectorInt32(w3) * cv);
            }
        }
        for (; i < count; i++) a[i] += p[i] * c;
    }

    /// <summary>o[i] = Clip8(a[i]) for a row.</summary>
    static unsafe void Store(byte* o, int* a, int count)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var n = Vector<int>.Count;
            Vector<int> zero = Vector<int>.Zero, max = new(255);
            Vector<int> Clip(int* q) => Vector.Min(Vector.Max(Vector.ShiftRightArithmetic(Unsafe.ReadUnaligned<Vector<int>>(q), PrecisionBits), zero), max);
            for (; i <= count - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                var q = a + i;
                var low = Vector.Narrow(Vector.AsVectorUInt32(Clip(q)), Vector.AsVectorUInt32(Clip(q + n)));
                var high = Vector.Narrow(Vector.AsVectorUInt32(Clip(q + 2 * n)), Vector.AsVectorUInt32(Clip(q + 3 * n)));
                Unsafe.WriteUnaligned(o + i, Vector.Narrow(low, high));
            }
        }
        for (; i < count; i++) o[i] = Clip8(a[i]);
    }

    /// <summary>
    /// Pillow's NEAREST (ImagingScaleAffine): the input pixel under each output pixel's centre, the centre found by adding
    /// the scale once per pixel from half a step, as Pillow does (a product would round differently at some edges).
    /// </summary>
    static byte[] Nearest(byte[] src, int width, int height, int newWidth, int newHeight, int left, int top, int cropWidth, int cropHeight)
    {
        static int[] Table(int inSize, int outSize, int first, int count)
        {
            var step = (double)inSize / outSize;
            var table = new int[count];
            var v = step * 0.5;
            for (var i = 0; i < first + count; i++, v += step)
                if (i >= first) table[i - first] = Math.Min(inSize - 1, (int)v);
            return table;
        }
        var xs = Table(width, newWidth, left, cropWidth);
        var ys = Table(height, newHeight, top, cropHeight);
        var dst = new byte[cropWidth * cropHeight * 3];
        for (var y = 0; y < cropHeight; y++)
            for (var x = 0; x < cropWidth; x++)
                Buffer.BlockCopy(src, (ys[y] * width + xs[x]) * 3, dst, (y * cropWidth + x) * 3, 3);
        return dst;
    }
}
