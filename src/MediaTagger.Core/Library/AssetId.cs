using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace MediaTagger.Core.Library;

/// <summary>Asset ids: SHA-1 (lower-case hex) of the root-relative path with '/' separators, as the concept document defines.</summary>
public static class AssetId
{
    public static string For(string relativePath)
    {
        var max = Encoding.UTF8.GetMaxByteCount(relativePath.Length);
        byte[]? rented = null;
        Span<byte> utf8 = max <= 1024 ? stackalloc byte[max] : (rented = new byte[max]);
        var n = Encoding.UTF8.GetBytes(relativePath, utf8);
        utf8 = utf8[..n];
        // '\' never occurs in a UTF-8 multi-byte sequence, so it can be replaced in the bytes.
        utf8.Replace((byte)'\\', (byte)'/');
        Span<byte> hash = stackalloc byte[20];
        Sha1(utf8, hash);
        Span<char> hex = stackalloc char[40];
        for (var i = 0; i < 20; i++)
        {
            hex[2 * i] = "0123456789abcdef"[hash[i] >> 4];
            hex[2 * i + 1] = "0123456789abcdef"[hash[i] & 15];
        }
        return new string(hex);
    }

    public static bool IsAssetId(string? s) =>
        s is { Length: 40 } && s.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    /// <summary>
    /// SHA-1 (FIPS 180-4) in managed code. A first scan hashes every path of the library, and the platform's one-shot
    /// hash goes through OpenSSL on Linux at ~2 µs a call for these short inputs; this is several times faster.
    /// Ids are names, not a security boundary, so SHA-1's weakness does not matter here (the format fixes SHA-1).
    /// </summary>
    internal static void Sha1(ReadOnlySpan<byte> message, Span<byte> hash)
    {
        Span<uint> h = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0];
        Span<uint> w = stackalloc uint[80];
        var full = message.Length / 64;
        for (var b = 0; b < full; b++) Block(message.Slice(b * 64, 64), h, w);

        // The tail, the 0x80 marker and the bit length: one block, or two when the tail leaves no room for the length.
        Span<byte> last = stackalloc byte[128];
        last.Clear();
        var tail = message[(full * 64)..];
        tail.CopyTo(last);
        last[tail.Length] = 0x80;
        var blocks = tail.Length + 1 + 8 <= 64 ? 1 : 2;
        BinaryPrimitives.WriteUInt64BigEndian(last.Slice(blocks * 64 - 8), (ulong)message.Length * 8);
        for (var b = 0; b < blocks; b++) Block(last.Slice(b * 64, 64), h, w);

        for (var i = 0; i < 5; i++) BinaryPrimitives.WriteUInt32BigEndian(hash.Slice(4 * i), h[i]);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    static void Block(ReadOnlySpan<byte> block, Span<uint> h, Span<uint> w)
    {
        for (var i = 0; i < 16; i++) w[i] = BinaryPrimitives.ReadUInt32BigEndian(block.Slice(4 * i));
        for (var i = 16; i < 80; i++) w[i] = BitOperations.RotateLeft(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
        uint a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
        for (var i = 0; i < 80; i++)
        {
            uint f, k;
            if (i < 20) { f = (b & c) | (~b & d); k = 0x5A827999; }
            else if (i < 40) { f = b ^ c ^ d; k = 0x6ED9EBA1; }
            else if (i < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8F1BBCDC; }
            else { f = b ^ c ^ d; k = 0xCA62C1D6; }
            var t = BitOperations.RotateLeft(a, 5) + f + e + k + w[i];
            e = d; d = c; c = BitOperations.RotateLeft(b, 30); b = a; a = t;
        }
        h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e;
    }
}
