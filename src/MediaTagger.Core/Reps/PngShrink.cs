using System.Buffers.Binary;
using System.IO.Compression;

namespace MediaTagger.Core.Reps;

/// <summary>
/// A large PNG decoded straight to a box-reduced size, row by row: PNG has no shrink-on-load, and through ImageMagick a
/// 5120×2880 wallpaper took 17× as long as inflating its data (measured: 2.5 s against 0.15 s), plus a full-size pixel
/// cache and a full-size area average. Here each row is inflated (.NET's zlib-ng), unfiltered and added into k×k box
/// sums at once, so memory stays at two rows plus the small result.
/// Only the plain case takes this path: 8-bit RGB or RGBA (or grey), not interlaced, no colour profile, palette,
/// transparency key or EXIF; anything else, anything damaged, and anything too large returns null, and ImageMagick
/// decodes it (and reports what is wrong) as before.
/// </summary>
static class PngShrink
{
    static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>
    /// The PNG in <paramref name="file"/> reduced by the largest whole factor k that keeps its long edge at least
    /// <paramref name="size"/> (k×k box averages, transparent pixels flattened on white first); null when k would be
    /// below 2 or the file is not the plain case.
    /// </summary>
    public static RgbPixels? TryDecode(ReadOnlyMemory<byte> file, int size)
    {
        var span = file.Span;
        if (!span.StartsWith(Signature) || span.Length < 33) return null;
        var ihdr = span.Slice(8);
        if (BinaryPrimitives.ReadInt32BigEndian(ihdr) != 13 || !ihdr.Slice(4, 4).SequenceEqual("IHDR"u8)) return null;
        long width = BinaryPrimitives.ReadUInt32BigEndian(ihdr.Slice(8)), height = BinaryPrimitives.ReadUInt32BigEndian(ihdr.Slice(12));
        int depth = ihdr[16], colourType = ihdr[17], interlace = ihdr[20];
        if (depth != 8 || interlace != 0 || ihdr[18] != 0 || ihdr[19] != 0) return null;
        var channels = colourType switch { 0 => 1, 2 => 3, 4 => 2, 6 => 4, _ => 0 };
        if (channels == 0 || width == 0 || height == 0 || width * height > (long)MagickLimits.MaxPixels) return null;
        var k = (int)(Math.Max(width, height) / size);
        if (k < 2) return null;
        if (IdatRanges(span) is not { } idat) return null;
        try
        {
            return Shrink(file, idat, (int)width, (int)height, channels, k);
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException)
        {
            return null; // damaged: ImageMagick decodes it again and says what is wrong
        }
    }

    /// <summary>Where the IDAT data lies; null when a chunk this path does not handle is present, or the file is cut short.</summary>
    static List<(int Offset, int Length)>? IdatRanges(ReadOnlySpan<byte> file)
    {
        var ranges = new List<(int, int)>();
        for (var at = 8; ;)
        {
            if (at + 12 > file.Length) return null;
            var length = BinaryPrimitives.ReadInt32BigEndian(file.Slice(at));
            if (length < 0 || at + 12L + length > file.Length) return null;
            var type = file.Slice(at + 4, 4);
            if (type.SequenceEqual("IEND"u8)) return ranges.Count > 0 ? ranges : null;
            if (type.SequenceEqual("IDAT"u8)) ranges.Add((at + 8, length));
            // A colour profile, palette, transparency key or EXIF (orientation) changes the picture: ImageMagick handles those.
            else if (type.SequenceEqual("iCCP"u8) || type.SequenceEqual("PLTE"u8) || type.SequenceEqual("tRNS"u8) || type.SequenceEqual("eXIf"u8)
                     || type.SequenceEqual("acTL"u8) || (type[0] & 0x20) == 0 && !type.SequenceEqual("IHDR"u8))
                return null;
            at += 12 + length;
        }
    }

    /// <summary>The IDAT chunks as one stream, without copying them together.</summary>
    sealed class IdatStream(ReadOnlyMemory<byte> file, List<(int Offset, int Length)> ranges) : Stream
    {
        int _chunk, _pos;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            while (_chunk < ranges.Count && _pos == ranges[_chunk].Length) { _chunk++; _pos = 0; }
            if (_chunk == ranges.Count) return 0;
            var (o, l) = ranges[_chunk];
            var n = Math.Min(buffer.Length, l - _pos);
            file.Span.Slice(o + _pos, n).CopyTo(buffer);
            _pos += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    static RgbPixels Shrink(ReadOnlyMemory<byte> file, List<(int, int)> idat, int width, int height, int channels, int k)
    {
        int stride = width * channels, outWidth = (width + k - 1) / k, outHeight = (height + k - 1) / k;
        // Each row is its filter byte and the pixels; the previous row starts as zeros, as the format says.
        var prev = new byte[stride + 1];
        var cur = new byte[stride + 1];
        var sums = new int[outWidth * 3];
        var result = new byte[outWidth * outHeight * 3];
        using var inflater = new ZLibStream(new IdatStream(file, idat), CompressionMode.Decompress);
        for (int y = 0, outRow = 0; y < height; y++)
        {
            inflater.ReadExactly(cur);
            Unfilter(cur, prev, channels);
            Accumulate(cur, width, channels, k, sums);
            (prev, cur) = (cur, prev);
            if ((y + 1) % k == 0 || y == height - 1)
            {
                // Blocks on the right and bottom edges may be partial: each is averaged over the pixels it has.
                var rows = y % k + 1;
                for (var x = 0; x < outWidth; x++)
                {
                    var count = rows * Math.Min(k, width - x * k);
                    for (var c = 0; c < 3; c++) result[(outRow * outWidth + x) * 3 + c] = (byte)((sums[x * 3 + c] + count / 2) / count);
                }
                Array.Clear(sums);
                outRow++;
            }
        }
        return new RgbPixels(outWidth, outHeight, result);
    }

    // The two loops below run once per byte of a picture of up to 200 megapixels: raw pointers, because a bounds check
    // per byte costs as much as the arithmetic. Rows are stride + 1 bytes (filter byte first); every index stays inside.

    /// <summary>Reverses a row's PNG filter in place (RFC 2083 §6); <paramref name="prevRow"/> is the previous row, already unfiltered.</summary>
    static unsafe void Unfilter(byte[] row, byte[] prevRow, int bpp)
    {
        var n = row.Length - 1;
        fixed (byte* r0 = row, p0 = prevRow)
        {
            byte* r = r0 + 1, p = p0 + 1;
            switch (row[0])
            {
                case 0:
                    return;
                case 1:
                    for (var x = bpp; x < n; x++) r[x] += r[x - bpp];
                    return;
                case 2:
                    for (var x = 0; x < n; x++) r[x] += p[x];
                    return;
                case 3:
                    for (var x = 0; x < bpp; x++) r[x] += (byte)(p[x] >> 1);
                    for (var x = bpp; x < n; x++) r[x] += (byte)((r[x - bpp] + p[x]) >> 1);
                    return;
                case 4:
                    for (var x = 0; x < bpp; x++) r[x] += p[x];
                    for (var x = bpp; x < n; x++)
                    {
                        int a = r[x - bpp], b = p[x], c = p[x - bpp];
                        int pa = Math.Abs(b - c), pb = Math.Abs(a - c), pc = Math.Abs(a + b - 2 * c);
                        r[x] += (byte)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
                    }
                    return;
                default:
                    throw new InvalidDataException($"unknown PNG filter {row[0]}");
            }
        }
    }

    /// <summary>Adds one unfiltered row into the per-block RGB sums, grey expanded to RGB and alpha flattened on white.</summary>
    static unsafe void Accumulate(byte[] row, int width, int channels, int k, int[] sums)
    {
        fixed (byte* r0 = row)
        fixed (int* s0 = sums)
        {
            var px = r0 + 1;
            var s = s0;
            for (var x = 0; x < width; s += 3)
            {
                var end = Math.Min(width, x + k);
                int sr = 0, sg = 0, sb = 0;
                for (; x < end; x++, px += channels)
                {
                    int r, g, b;
                    if (channels >= 3) { r = px[0]; g = px[1]; b = px[2]; }
                    else r = g = b = px[0];
                    if (channels is 2 or 4)
                    {
                        // Over white: the average of flattened pixels equals flattening the alpha-weighted average.
                        int a = px[channels - 1], white = 255 * (255 - a);
                        r = (r * a + white + 127) / 255;
                        g = (g * a + white + 127) / 255;
                        b = (b * a + white + 127) / 255;
                    }
                    sr += r;
                    sg += g;
                    sb += b;
                }
                s[0] += sr;
                s[1] += sg;
                s[2] += sb;
            }
        }
    }
}
