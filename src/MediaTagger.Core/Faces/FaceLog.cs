using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MediaTagger.Core.Store;

namespace MediaTagger.Core.Faces;

/// <summary>
/// The face log (data/faces/faces.log.jsonl, format 2): what the face stage found in each asset (boxes, landmarks,
/// scores, frames, the names its faces carry) and every naming since, as an append-only JSON Lines log. Its only reader
/// and writer is <see cref="FaceStore"/>; the vectors live in the vector store (Core/Store, model "faces"), tied to a
/// record by the token in the row stamps. Lines are grouped in batches that end with a commit line, so a batch is in
/// or out as a whole; every record and name line carries a sum (over the line and nothing else) that a flipped bit or
/// an edit fails. Lines after the last commit belong to a batch a crash interrupted: ignored, and cut off by the next writer.
/// </summary>
/// <remarks>
/// <code>
/// {"format":"mediatagger-faces","version":2,"log":"3f9c…"}                         header (log id: changes when compaction rewrites the file)
/// {"asset":"&lt;id&gt;","stamp":"…","model":"…","vectors":"a1b2c3d4","faces":[…],"names":[null,"Alice"],"sum":"…"}
/// {"face":"&lt;id&gt;:1","name":"Alice","utc":"…","sum":"…"}                             a naming (null name = un-named)
/// {"commit":2}                                                                      the 2 lines before it are part of the log
/// </code>
/// A record line replaces the asset's earlier record and the names of its earlier faces (re-analysis carries names over
/// in its own names array).
/// </remarks>
sealed class FaceLog
{
    public const string FileName = "faces.log.jsonl";
    const string Format = "mediatagger-faces";
    const int Version = 2;

    public sealed class State
    {
        public Dictionary<string, LogRecord> Records { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, string> Names { get; } = new(StringComparer.Ordinal);

        /// <summary>The log id of the header these lines belong to.</summary>
        public string? LogId { get; set; }

        /// <summary>Bytes up to and including the last commit line.</summary>
        public long CommittedBytes { get; set; }

        /// <summary>Record and name lines a later line replaced: what compaction reclaims.</summary>
        public int Superseded { get; set; }

        /// <summary>Assets whose record a replay changed (the reader clears it): only their vectors need checking again.</summary>
        public HashSet<string> Touched { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>One record line: an asset's faces from one analysis, the token its vectors carry, and its faces' names.</summary>
    public sealed record LogRecord(
        [property: JsonPropertyName("asset")] string AssetId,
        [property: JsonPropertyName("stamp")] string Stamp,
        [property: JsonPropertyName("model")] string ModelId,
        [property: JsonPropertyName("vectors")] string Token,
        [property: JsonPropertyName("faces")] IReadOnlyList<StoredFace> Faces,
        [property: JsonPropertyName("names")] IReadOnlyList<string?>? Names);

    sealed record NameLine(
        [property: JsonPropertyName("face")] string Face,
        [property: JsonPropertyName("name")] string? Name,
        [property: JsonPropertyName("utc")] DateTime Utc);

    sealed record Header(
        [property: JsonPropertyName("format")] string Format,
        [property: JsonPropertyName("version")] int Version,
        [property: JsonPropertyName("log")] string Log);

    sealed record CommitLine([property: JsonPropertyName("commit")] int Commit);

    /// <summary>Raised for a line that breaks the format; the store turns it into one error naming the repair.</summary>
    public sealed class DamagedException(string why) : Exception(why);

    static readonly JsonSerializerOptions Options = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static byte[] HeaderLine(string logId) => Line(JsonSerializer.SerializeToUtf8Bytes(new Header(Format, Version, logId), Options), sum: false);

    public static string NewLogId() => Guid.NewGuid().ToString("N")[..16];

    /// <summary>A batch: its record and name lines, then the commit line.</summary>
    public static byte[] Batch(IReadOnlyList<LogRecord> records, IReadOnlyList<(string FaceId, string? Name)> names, DateTime utc)
    {
        var buffer = new MemoryStream();
        foreach (var r in records) buffer.Write(Line(JsonSerializer.SerializeToUtf8Bytes(r, Options), sum: true));
        foreach (var (face, name) in names) buffer.Write(Line(JsonSerializer.SerializeToUtf8Bytes(new NameLine(face, name, utc), Options), sum: true));
        buffer.Write(Line(JsonSerializer.SerializeToUtf8Bytes(new CommitLine(records.Count + names.Count), Options), sum: false));
        return buffer.ToArray();
    }

    /// <summary>The JSON object with a "sum" member added before its closing brace (the hash of the object without it), and a newline.</summary>
    static byte[] Line(byte[] json, bool sum)
    {
        if (!sum) return [.. json, (byte)'\n'];
        var hex = Encoding.ASCII.GetBytes($",\"sum\":\"{RowCheck.Hash(json, 0):x16}\"}}\n");
        return [.. json.AsSpan(0, json.Length - 1), .. hex];
    }

    /// <summary>The line's JSON without its sum, or null when the sum is missing or does not match.</summary>
    static byte[]? Verified(ReadOnlySpan<byte> line)
    {
        // ,"sum":"0123456789abcdef"}
        const int Tail = 26;
        if (line.Length < Tail + 2 || !line[^Tail..^18].SequenceEqual(",\"sum\":\""u8) || line[^1] != (byte)'}' || line[^2] != (byte)'"') return null;
        if (!ulong.TryParse(Encoding.ASCII.GetString(line[^18..^2]), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var sum)) return null;
        byte[] json = [.. line[..^Tail], (byte)'}'];
        return RowCheck.Hash(json, 0) == sum ? json : null;
    }

    /// <summary>
    /// Applies the committed batches of <paramref name="path"/> after <see cref="State.CommittedBytes"/> to <paramref name="state"/>
    /// (from the start, header included, when nothing was read yet). With <paramref name="lenient"/> (repair), lines that
    /// fail their check are skipped instead of failing the read, and a batch without its commit line still counts.
    /// </summary>
    /// <returns>Lines skipped (lenient only).</returns>
    /// <exception cref="DamagedException">A committed line that breaks the format.</exception>
    public static int Replay(string path, State state, bool lenient = false)
    {
        byte[] bytes;
        var offset = state.CommittedBytes;
        using (var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            if (fs.Length < state.CommittedBytes) throw new DamagedException($"{FileName} is shorter than what was committed");
            fs.Seek(state.CommittedBytes, SeekOrigin.Begin);
            bytes = new byte[fs.Length - state.CommittedBytes];
            fs.ReadExactly(bytes);
        }
        var skipped = 0;
        var pending = new List<Action>();
        var pendingBad = new List<string>();
        var start = 0;
        var lineNo = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != (byte)'\n') continue;
            var line = bytes.AsSpan(start, i - start);
            var end = offset + i + 1;
            start = i + 1;
            lineNo++;
            if (state.LogId is null)
            {
                var header = TryParse<Header>(line);
                if (header is null || header.Format != Format || string.IsNullOrEmpty(header.Log))
                    throw new DamagedException($"{FileName} does not start with a face log header");
                if (header.Version != Version) throw new DamagedException($"{FileName} is of format {header.Version}, this MediaTagger reads {Version}");
                state.LogId = header.Log;
                state.CommittedBytes = end;
                continue;
            }
            if (line.StartsWith("{\"commit\":"u8))
            {
                var commit = TryParse<CommitLine>(line);
                if (commit is null || commit.Commit != pending.Count + pendingBad.Count)
                {
                    if (!lenient) throw new DamagedException($"a commit line of {FileName} does not count its batch");
                }
                if (pendingBad.Count > 0 && !lenient) throw new DamagedException(pendingBad[0]);
                foreach (var apply in pending) apply();
                skipped += pendingBad.Count;
                pending.Clear();
                pendingBad.Clear();
                state.CommittedBytes = end;
                continue;
            }
            var json = Verified(line);
            var parsed = json is null ? null : ParseEntry(json, state);
            if (parsed is null) pendingBad.Add($"line {lineNo} of {FileName} fails its check");
            else pending.Add(parsed);
        }
        if (lenient)
        {
            // Repair keeps what proves itself even without its commit line.
            foreach (var apply in pending) apply();
            skipped += pendingBad.Count;
        }
        return skipped;
    }

    static T? TryParse<T>(ReadOnlySpan<byte> json) where T : class
    {
        try { return JsonSerializer.Deserialize<T>(json, Options); }
        catch (JsonException) { return null; }
    }

    /// <summary>What a verified line does to the state, or null when it is not a valid record or name line.</summary>
    static Action? ParseEntry(byte[] json, State state)
    {
        if (json.AsSpan().StartsWith("{\"asset\":"u8))
        {
            var r = TryParse<LogRecord>(json);
            if (r is null || string.IsNullOrEmpty(r.AssetId) || r.Faces is null || r.Stamp is null || r.ModelId is null || r.Token is null
                || (r.Names is not null && r.Names.Count != r.Faces.Count)
                || r.Faces.Any(f => f is null || f.Landmarks is null || !float.IsFinite(f.X + f.Y + f.Width + f.Height + f.Score)))
                return null;
            return () =>
            {
                if (state.Records.TryGetValue(r.AssetId, out var old))
                {
                    state.Superseded++;
                    for (var i = 0; i < old.Faces.Count; i++) state.Names.Remove(FaceRecord.FaceId(r.AssetId, i));
                }
                state.Records[r.AssetId] = r;
                state.Touched.Add(r.AssetId);
                for (var i = 0; i < (r.Names?.Count ?? 0); i++)
                    if (!string.IsNullOrEmpty(r.Names![i])) state.Names[FaceRecord.FaceId(r.AssetId, i)] = r.Names[i]!;
            };
        }
        if (json.AsSpan().StartsWith("{\"face\":"u8))
        {
            var n = TryParse<NameLine>(json);
            if (n?.Face is null || FaceRecord.ParseFaceId(n.Face) is null) return null;
            return () =>
            {
                state.Superseded++;
                if (string.IsNullOrEmpty(n.Name)) state.Names.Remove(n.Face);
                else state.Names[n.Face] = n.Name;
            };
        }
        return null;
    }

    /// <summary>The whole log as a new file's bytes: header, one record line per asset (names inline), one commit.</summary>
    public static byte[] Compacted(string logId, IEnumerable<LogRecord> records)
    {
        var buffer = new MemoryStream();
        buffer.Write(HeaderLine(logId));
        buffer.Write(Batch(records.ToList(), [], DateTime.UtcNow));
        return buffer.ToArray();
    }
}
