using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MediaTagger.Core.Faces;

/// <summary>
/// The first face store format (MediaTagger of 2026-11-27 morning: data/faces/faces.jsonl + faces.f32 + names.jsonl),
/// read only to migrate it into the face log and the vector store (<see cref="FaceStore"/>). Its rules are kept: the
/// latest line per asset wins, an unfinished last line or a line whose vectors are missing does not count, names are
/// events (the latest per face wins).
/// </summary>
static class FaceStoreV1
{
    public const string RecordsFile = "faces.jsonl";
    public const string VectorsFile = "faces.f32";
    public const string NamesFile = "names.jsonl";

    public static IEnumerable<string> Files(string folder) => new[] { RecordsFile, VectorsFile, NamesFile }.Select(f => Path.Combine(folder, f));

    public static bool Exists(string folder) => File.Exists(Path.Combine(folder, RecordsFile));

    /// <summary>The latest record of every asset (vectors attached) and the current names.</summary>
    /// <param name="lenient">Repair: a line that does not parse is skipped instead of failing the read.</param>
    /// <exception cref="JsonException">A complete line that does not parse (not lenient).</exception>
    public static (Dictionary<string, FaceRecord> Records, Dictionary<string, string> Names) Read(string folder, bool lenient)
    {
        var records = new Dictionary<string, FaceRecord>(StringComparer.Ordinal);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var vectors = Path.Combine(folder, VectorsFile);
        var vectorBytes = File.Exists(vectors) ? new FileInfo(vectors).Length : 0;
        using var vfs = File.Exists(vectors) ? new FileStream(vectors, FileMode.Open, FileAccess.Read, FileShare.ReadWrite) : null;
        foreach (var line in CompleteLines(Path.Combine(folder, RecordsFile)))
        {
            StoredLine? stored;
            try { stored = JsonSerializer.Deserialize<StoredLine>(line); }
            catch (JsonException) when (lenient) { continue; }
            if (stored is null || stored.Faces is null || stored.Dim != FaceModelFiles.Dimension)
            {
                if (lenient) continue;
                throw new JsonException($"a line of {RecordsFile} is not a face record");
            }
            var count = stored.Faces.Count;
            if (stored.Row < 0 || (stored.Row + count) * (long)stored.Dim * 4 > vectorBytes) continue;   // vectors lost with a crash: the line does not count
            var faces = new List<StoredFace>(count);
            var buffer = new byte[stored.Dim * 4];
            vfs!.Seek(stored.Row * stored.Dim * 4, SeekOrigin.Begin);
            foreach (var f in stored.Faces)
            {
                vfs.ReadExactly(buffer);
                faces.Add(f with { Vector = MemoryMarshal.Cast<byte, float>(buffer).ToArray() });
            }
            records[stored.Id] = new FaceRecord(stored.Id, stored.Stamp, stored.Model, faces);
        }
        foreach (var line in CompleteLines(Path.Combine(folder, NamesFile)))
        {
            NameLine? naming;
            try { naming = JsonSerializer.Deserialize<NameLine>(line); }
            catch (JsonException) when (lenient) { continue; }
            if (naming?.Face is null)
            {
                if (lenient) continue;
                throw new JsonException($"a line of {NamesFile} is not a naming");
            }
            if (string.IsNullOrEmpty(naming.Name)) names.Remove(naming.Face);
            else names[naming.Face] = naming.Name;
        }
        return (records, names);
    }

    /// <summary>Every line that ends in a newline; an unfinished last line is not one.</summary>
    static IEnumerable<string> CompleteLines(string path)
    {
        if (!File.Exists(path)) yield break;
        var bytes = File.ReadAllBytes(path);
        var start = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != (byte)'\n') continue;
            if (i > start) yield return Encoding.UTF8.GetString(bytes, start, i - start);
            start = i + 1;
        }
    }

    sealed record StoredLine(
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("stamp")] string Stamp,
        [property: JsonPropertyName("model")] string Model,
        [property: JsonPropertyName("row")] long Row,
        [property: JsonPropertyName("dim")] int Dim,
        [property: JsonPropertyName("faces")] IReadOnlyList<StoredFace> Faces);

    sealed record NameLine(
        [property: JsonPropertyName("face")] string Face,
        [property: JsonPropertyName("name")] string? Name,
        [property: JsonPropertyName("utc")] DateTime Utc);
}
