using System.Buffers;
using System.Text.Json;
using MediaTagger.Core.Common;

namespace MediaTagger.Core.Library;

/// <summary>
/// Writes assets.json (the JSON array of <see cref="MediaAsset"/> that <see cref="AssetCatalog.Load"/> reads) sorted by
/// relative path, so the file diffs cleanly between runs. A first scan of a large library writes every asset, so the
/// sort and the serialisation are split across the cores, and each asset is written by hand rather than by the
/// serializer's metadata-driven path: the same bytes, several times faster.
/// </summary>
static class CatalogWriter
{
    // Below this a second thread costs more than it saves.
    const int ParallelFrom = 4096;

    static readonly Comparison<MediaAsset> ByPath = (a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath);

    public static void Write(string file, ICollection<MediaAsset> assets)
    {
        var sorted = Sort(assets);
        // More chunks than cores, so a core the scheduler takes away for a while leaves its share to the others.
        var parts = sorted.Length < ParallelFrom ? 1 : 4 * Math.Clamp(Environment.ProcessorCount, 1, 4);
        var chunks = new ArrayBufferWriter<byte>[parts];
        Parallel.For(0, parts, p =>
        {
            var from = (int)((long)sorted.Length * p / parts);
            var to = (int)((long)sorted.Length * (p + 1) / parts);
            chunks[p] = Serialize(sorted.AsSpan(from, to - from));
        });
        AtomicFile.Write(file, s =>
        {
            s.WriteByte((byte)'[');
            var first = true;
            foreach (var chunk in chunks)
            {
                if (chunk.WrittenCount == 0) continue;
                if (!first) s.WriteByte((byte)',');
                s.Write(chunk.WrittenSpan);
                first = false;
            }
            s.WriteByte((byte)']');
        });
    }

    static MediaAsset[] Sort(ICollection<MediaAsset> assets)
    {
        var all = new MediaAsset[assets.Count];
        assets.CopyTo(all, 0);
        if (all.Length < ParallelFrom)
        {
            Array.Sort(all, ByPath);
            return all;
        }
        // Two halves sorted at once, then merged.
        var half = all.Length / 2;
        var comparer = Comparer<MediaAsset>.Create(ByPath);
        Parallel.Invoke(() => Array.Sort(all, 0, half, comparer), () => Array.Sort(all, half, all.Length - half, comparer));
        var merged = new MediaAsset[all.Length];
        int i = 0, j = half, k = 0;
        while (i < half && j < all.Length) merged[k++] = ByPath(all[i], all[j]) <= 0 ? all[i++] : all[j++];
        while (i < half) merged[k++] = all[i++];
        while (j < all.Length) merged[k++] = all[j++];
        return merged;
    }

    /// <summary>The assets as comma-separated JSON objects (no brackets), with the names and formats of <see cref="CatalogJson"/>.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    static ArrayBufferWriter<byte> Serialize(ReadOnlySpan<MediaAsset> assets)
    {
        var buffer = new ArrayBufferWriter<byte>(Math.Max(256, assets.Length * 256));
        using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        for (var i = 0; i < assets.Length; i++)
        {
            var a = assets[i];
            json.WriteStartObject();
            json.WriteString("id", a.Id);
            json.WriteString("absolutePath", a.Path);
            json.WriteString("relativePath", a.RelativePath);
            json.WriteString("type", a.Type.ToString());
            json.WriteString("ext", a.Extension);
            json.WriteNumber("size", a.Length);
            json.WriteString("modified", a.LastWriteTimeUtc);
            json.WriteEndObject();
        }
        json.Flush();
        return buffer;
    }
}
