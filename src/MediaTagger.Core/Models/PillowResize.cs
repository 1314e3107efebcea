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
    public static byte[] Resize(byte[] rgb, int width, int height, int newWidth, int newHeight, PillowFilter filter)
    {
        if (newWidth == width && newHeight == height) return rgb;
        if (filter == PillowFilter.Nearest) return Nearest(rgb, width, height, newWidth, newHeight);
        var (support, kernel) = Kernel(filter);
        var (vertBounds, vertK, vertSize) = Coefficients(height, newHeight, support, kernel);
        var source = rgb;
        var sourceHeight = height;
        var firstRow = 0;
        if (newWidth != width)
        {
            // Only the rows the vertical pass reads are resampled horizontally.
            firstRow = vertBounds[0];
            var lastRow = vertBounds[(newHeight - 1) * 2] + vertBounds[(newHeight - 1) * 2 + 1];
            var (horBounds, horK, horSize) = Coefficients(width, newWidth, support, kernel);
            source = Horizontal(rgb, width, firstRow, lastRow - firstRow, newWidth, horBounds, horK, horSize);
            sourceHeight = lastRow - firstRow;
        }
        if (newHeight == height && firstRow == 0 && sourceHeight == height) return source;
        return Vertical(source, newWidth, firstRow, newHeight, vertBounds, vertK, vertSize);
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
            return Math.Sin(x) / x * (0.54 + 0.46 * Math.Cos(x));
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

    /// <summary>precompute_coeffs + normalize_coeffs_8bpc: per output pixel, the first input pixel, how many, and fixed-point weights.</summary>
    static (int[] Bounds, int[] Weights, int KSize) Coefficients(int inSize, int outSize, double filterSupport, Func<double, double> kernel)
    {
        var scale = (double)inSize / outSize;
        var filterScale = Math.Max(scale, 1.0);
        var support = filterSupport * filterScale;
        var ksize = (int)Math.Ceiling(support) * 2 + 1;
        var bounds = new int[outSize * 2];
        var weights = new int[outSize * ksize];
        var k = new double[ksize];
        for (var xx = 0; xx < outSize; xx++)
        {
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
                weights[xx * ksize + x] = w < 0 ? (int)(-0.5 + w * (1 << PrecisionBits)) : (int)(0.5 + w * (1 << PrecisionBits));
            }
            bounds[xx * 2] = xmin;
            bounds[xx * 2 + 1] = xmax;
        }
        return (bounds, weights, ksize);
    }

    static byte Clip8(int v)
    {
        v >>= PrecisionBits;
        return v < 0 ? (byte)0 : v > 255 ? (byte)255 : (byte)v;
    }

    static byte[] Horizontal(byte[] src, int width, int firstRow, int rows, int newWidth, int[] bounds, int[] weights, int ksize)
    {
        var dst = new byte[newWidth * rows * 3];
        for (var y = 0; y < rows; y++)
        {
            var srcRow = (firstRow + y) * width * 3;
            var dstRow = y * newWidth * 3;
            for (var xx = 0; xx < newWidth; xx++)
            {
                var xmin = bounds[xx * 2];
                var xmax = bounds[xx * 2 + 1];
                var kOff = xx * ksize;
                int s0 = 1 << (PrecisionBits - 1), s1 = s0, s2 = s0;
                var p = srcRow + xmin * 3;
                for (var x = 0; x < xmax; x++, p += 3)
                {
                    var w = weights[kOff + x];
                    s0 += src[p] * w;
                    s1 += src[p + 1] * w;
                    s2 += src[p + 2] * w;
                }
                dst[dstRow + xx * 3] = Clip8(s0);
                dst[dstRow + xx * 3 + 1] = Clip8(s1);
                dst[dstRow + xx * 3 + 2] = Clip8(s2);
            }
        }
        return dst;
    }

    /// <summary>The vertical pass over <paramref name="src"/>, whose first row is input row <paramref name="firstRow"/>.</summary>
    static byte[] Vertical(byte[] src, int width, int firstRow, int newHeight, int[] bounds, int[] weights, int ksize)
    {
        var stride = width * 3;
        var dst = new byte[stride * newHeight];
        for (var yy = 0; yy < newHeight; yy++)
        {
            var ymin = bounds[yy * 2] - firstRow;
            var ymax = bounds[yy * 2 + 1];
            var kOff = yy * ksize;
            for (var i = 0; i < stride; i++)
            {
                var s = 1 << (PrecisionBits - 1);
                var p = ymin * stride + i;
                for (var y = 0; y < ymax; y++, p += stride) s += src[p] * weights[kOff + y];
                dst[yy * stride + i] = Clip8(s);
            }
        }
        return dst;
    }

    /// <summary>Pillow's NEAREST: the input pixel under each output pixel's centre.</summary>
    static byte[] Nearest(byte[] src, int width, int height, int newWidth, int newHeight)
    {
        var dst = new byte[newWidth * newHeight * 3];
        double sx = (double)width / newWidth, sy = (double)height / newHeight;
        for (var y = 0; y < newHeight; y++)
        {
            var yin = Math.Min(height - 1, (int)Math.Floor((y + 0.5) * sy));
            for (var x = 0; x < newWidth; x++)
            {
                var xin = Math.Min(width - 1, (int)Math.Floor((x + 0.5) * sx));
                Buffer.BlockCopy(src, (yin * width + xin) * 3, dst, (y * newWidth + x) * 3, 3);
            }
        }
        return dst;
    }
}
