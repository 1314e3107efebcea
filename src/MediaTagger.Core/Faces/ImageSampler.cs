using MediaTagger.Core.Reps;

namespace MediaTagger.Core.Faces;

/// <summary>
/// Fills a model's NHWC float input from a picture through an affine map (output pixel → source pixel), bilinear, with
/// black outside the picture, scaling each value v to (v - mean) / scale. The detector's tiles and the embedder's
/// aligned faces are both such maps; big reductions first halve the picture (2×2 box average) so nothing aliases.
/// </summary>
public static class ImageSampler
{
    /// <summary>Output pixel (x, y) samples source (A·x + B·y + C, D·x + E·y + F).</summary>
    public readonly record struct Affine(double A, double B, double C, double D, double E, double F)
    {
        public static Affine ScaleTranslate(double scale, double x0, double y0) => new(scale, 0, x0, 0, scale, y0);

        /// <summary>Maps the source point to this map's output coordinates (the inverse map).</summary>
        public (double X, double Y) Invert(double sx, double sy)
        {
            var det = A * E - B * D;
            var x = sx - C;
            var y = sy - F;
            return ((E * x - B * y) / det, (-D * x + A * y) / det);
        }
    }

    public static void Sample(RgbPixels src, Affine map, int size, float[] dst, int offset, float mean, float scale)
    {
        var w = src.Width;
        var h = src.Height;
        var data = src.Data;
        var inv = 1f / scale;
        var o = offset;
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                // Pixel centres: output centre (x+0.5) maps to a source position whose pixel index is that minus 0.5.
                var sx = map.A * (x + 0.5) + map.B * (y + 0.5) + map.C - 0.5;
                var sy = map.D * (x + 0.5) + map.E * (y + 0.5) + map.F - 0.5;
                var x0 = (int)Math.Floor(sx);
                var y0 = (int)Math.Floor(sy);
                var fx = (float)(sx - x0);
                var fy = (float)(sy - y0);
                for (var c = 0; c < 3; c++)
                {
                    var v00 = At(data, w, h, x0, y0, c);
                    var v10 = At(data, w, h, x0 + 1, y0, c);
                    var v01 = At(data, w, h, x0, y0 + 1, c);
                    var v11 = At(data, w, h, x0 + 1, y0 + 1, c);
                    var top = v00 + (v10 - v00) * fx;
                    var bottom = v01 + (v11 - v01) * fx;
                    dst[o++] = (top + (bottom - top) * fy - mean) * inv;
                }
            }
        }
    }

    static float At(byte[] data, int w, int h, int x, int y, int c) =>
        (uint)x < (uint)w && (uint)y < (uint)h ? data[(y * w + x) * 3 + c] : 0f;

    /// <summary>The picture at half size (2×2 box average).</summary>
    public static RgbPixels Half(RgbPixels src)
    {
        var w = Math.Max(1, src.Width / 2);
        var h = Math.Max(1, src.Height / 2);
        var dst = new byte[w * h * 3];
        var s = src.Data;
        var sw = src.Width;
        for (var y = 0; y < h; y++)
        {
            var y1 = Math.Min(2 * y + 1, src.Height - 1);
            for (var x = 0; x < w; x++)
            {
                var x1 = Math.Min(2 * x + 1, sw - 1);
                for (var c = 0; c < 3; c++)
                {
                    var sum = s[(2 * y * sw + 2 * x) * 3 + c] + s[(2 * y * sw + x1) * 3 + c] + s[(y1 * sw + 2 * x) * 3 + c] + s[(y1 * sw + x1) * 3 + c];
                    dst[(y * w + x) * 3 + c] = (byte)((sum + 2) >> 2);
                }
            }
        }
        return new RgbPixels(w, h, dst);
    }
}
