using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace MediaTagger.Core.Store;

/// <summary>
/// The per-row check of a store: every row is finite and unit length, and its bytes hash (seeded by its key) to the
/// sum the index recorded when it was written, so a flipped bit, a row moved within the file or two swapped index
/// entries are caught, not scored.
/// </summary>
public static class RowCheck
{
    /// <summary>Rows are L2-normalised float32: a norm further than this from 1 is damage, not rounding.</summary>
    public const float NormTolerance = 1e-3f;

    public static bool IsUnit(ReadOnlySpan<float> row)
    {
        var sq = TensorPrimitives.Dot(row, row);
        // NaN and infinity fail both comparisons.
        return sq >= (1 - NormTolerance) * (1 - NormTolerance) && sq <= (1 + NormTolerance) * (1 + NormTolerance);
    }

    /// <summary>What is wrong with the row of <paramref name="entry"/>, or null when it passes the per-row check.</summary>
    public static string? Problem(in StoreEntry entry, ReadOnlySpan<float> row)
    {
        if (!IsUnit(row))
        {
            var sq = TensorPrimitives.Dot(row, row);
            return float.IsFinite(sq)
                ? $"the row of '{entry.Key}' (row {entry.Row}) has length {MathF.Sqrt(sq):0.###}, not 1"
                : $"the row of '{entry.Key}' (row {entry.Row}) holds a value that is not a finite number";
        }
        if (entry.HasSum && Sum(entry.Key, row) != entry.Sum)
            return $"the row of '{entry.Key}' (row {entry.Row}) does not match its sum: it was altered, or rows or index entries were swapped";
        return null;
    }

    /// <summary>The 64-bit sum of a row as stored in the index: <see cref="Hash"/> of its bytes, seeded by the hash of its key.</summary>
    public static ulong Sum(string key, ReadOnlySpan<float> row) => Hash(MemoryMarshal.AsBytes(row), KeySeed(key));

    public static ulong KeySeed(string key) => Hash(MemoryMarshal.AsBytes(key.AsSpan()), 0);

    const ulong P1 = 11400714785074694791UL, P2 = 14029467366897019727UL, P3 = 1609587929392839161UL, P4 = 9650029242287828579UL, P5 = 2870177450012600261UL;

    /// <summary>XXH64's structure (four lanes of multiply-rotate rounds, then an avalanche) over whole 8-byte words, then the tail.</summary>
    public static ulong Hash(ReadOnlySpan<byte> bytes, ulong seed)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(bytes);
        ulong a = seed + P1 + P2, b = seed + P2, c = seed, d = seed - P1;
        var i = 0;
        for (; i + 4 <= words.Length; i += 4)
        {
            a = Round(a, words[i]);
            b = Round(b, words[i + 1]);
            c = Round(c, words[i + 2]);
            d = Round(d, words[i + 3]);
        }
        var h = BitOperations.RotateLeft(a, 1) + BitOperations.RotateLeft(b, 7) + BitOperations.RotateLeft(c, 12) + BitOperations.RotateLeft(d, 18);
        h += (ulong)bytes.Length;
        for (; i < words.Length; i++) h = BitOperations.RotateLeft(h ^ Round(0, words[i]), 27) * P1 + P4;
        for (var j = words.Length * 8; j < bytes.Length; j++) h = BitOperations.RotateLeft(h ^ (bytes[j] * P5), 11) * P1;
        h ^= h >> 33;
        h *= P2;
        h ^= h >> 29;
        h *= P3;
        h ^= h >> 32;
        return h;
    }

    static ulong Round(ulong acc, ulong input) => BitOperations.RotateLeft(acc + input * P2, 31) * P1;
}
