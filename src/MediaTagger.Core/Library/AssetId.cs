using System.Security.Cryptography;
using System.Text;

namespace MediaTagger.Core.Library;

/// <summary>Asset ids: SHA-1 (lower-case hex) of the root-relative path with '/' separators, as the concept document defines.</summary>
public static class AssetId
{
    public static string For(string relativePath)
    {
        var normalized = relativePath.Replace('\\', '/');
        Span<byte> hash = stackalloc byte[20];
        var max = Encoding.UTF8.GetMaxByteCount(normalized.Length);
        byte[]? rented = null;
        Span<byte> utf8 = max <= 1024 ? stackalloc byte[max] : (rented = new byte[max]);
        var n = Encoding.UTF8.GetBytes(normalized, utf8);
        SHA1.HashData(utf8[..n], hash);
        return Convert.ToHexString(hash).ToLowerInvariant();
    }

    public static bool IsAssetId(string? s) =>
        s is { Length: 40 } && s.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
