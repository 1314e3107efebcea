using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace MediaTagger.Core.Store;

/// <summary>
/// The index of a format-2 store: an append-only JSON Lines file, one object per line.
/// <code>
/// {"index":"mediatagger-vectors","generation":3,"dim":512,"modelId":"..."}          first line: whose rows these are
/// {"key":"&lt;id&gt;","row":41,"stamp":"48213:638679...","sum":"9f2c4e01a7b3d655"}   a row written for a key (replaces its earlier row)
/// {"drop":"&lt;id&gt;#3"}                                                             a key that no longer has a row
/// {"commit":42}                                                                    the rows before it are part of the store; 42 rows in the data file
/// </code>
/// A batch is its set lines (rows numbered on from the previous commit, no gaps), its drops, then its commit line:
/// appending costs the batch, never the store. Lines after the last commit belong to a batch a crash interrupted and
/// are ignored (the next writer cuts them off). Any other break of these rules is damage.
/// </summary>
static class IndexLog
{
    /// <summary>What a replay found.</summary>
    public sealed class State
    {
        public Dictionary<string, StoreEntry> Live { get; } = new(StringComparer.Ordinal);

        /// <summary>Rows of the data file that belong to the store (committed).</summary>
        public int Rows { get; set; }

        /// <summary>Bytes of the index up to and including the last commit line.</summary>
        public long CommittedBytes { get; set; }
    }

    /// <summary>
    /// Reads <paramref name="file"/> from <see cref="State.CommittedBytes"/> on and applies every committed batch to <paramref name="state"/>.
    /// </summary>
    /// <param name="lenient">For salvage: take every readable set line whose row lies inside <paramref name="dataRows"/>, ignoring commits.</param>
    /// <exception cref="StoreFormatException">A committed line breaks the format.</exception>
    public static void Replay(string file, State state, bool withStamps, EmbeddingMeta meta, bool lenient = false, int dataRows = int.MaxValue)
    {
        var needHeader = state.CommittedBytes == 0 && !lenient;
        using var fs = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        fs.Seek(state.CommittedBytes, SeekOrigin.Begin);
        var pending = new List<StoreEntry>();
        var drops = new List<string>();
        var batchKeys = new HashSet<string>(StringComparer.Ordinal);
        string? broken = null;
        var buffer = new byte[1 << 20];
        int filled = 0;
        long lineStart = state.CommittedBytes;
        while (true)
        {
            var n = fs.Read(buffer, filled, buffer.Length - filled);
            filled += n;
            var span = buffer.AsSpan(0, filled);
            var consumed = 0;
            while (true)
            {
                var nl = span[consumed..].IndexOf((byte)'\n');
                if (nl < 0) break;
                var line = span.Slice(consumed, nl);
                consumed += nl + 1;
                var lineEnd = lineStart + consumed;
                if (line.IsEmpty) continue;
                if (needHeader)
                {
                    // The header is written with the generation, before the meta names it: a store without it was never whole.
                    if (!IsHeaderOf(line, meta)) throw new StoreFormatException($"the first line of its index '{Path.GetFileName(file)}' does not name generation {meta.Generation} of '{meta.ModelId}' ({meta.Dim} dimensions)");
                    needHeader = false;
                    state.CommittedBytes = lineEnd;
                    continue;
                }
                if (!TryParse(line, withStamps, out var kind, out var entry, out var drop, out var commit, out var why))
                {
                    broken ??= $"line {Describe(lineStart + consumed - nl - 1)} of its index is not valid ({why})";
                    if (lenient) broken = null;
                    continue;
                }
                switch (kind)
                {
                    case LineKind.Set when lenient:
                        if (entry.Row >= 0 && entry.Row < dataRows) state.Live[entry.Key] = entry;
                        break;
                    case LineKind.Set:
                        if (broken is not null) break;
                        if (!batchKeys.Add(entry.Key)) broken = $"its index writes the key '{entry.Key}' twice in one batch";
                        else if (entry.Row != state.Rows + pending.Count) broken = $"its index puts the key '{entry.Key}' in row {entry.Row} where row {state.Rows + pending.Count} comes next";
                        pending.Add(entry);
                        break;
                    case LineKind.Drop when lenient:
                        state.Live.Remove(drop!);
                        break;
                    case LineKind.Drop:
                        drops.Add(drop!);
                        break;
                    case LineKind.Commit when lenient:
                        break;
                    case LineKind.Commit:
                        if (broken is null && commit != state.Rows + pending.Count)
                            broken = $"a commit of its index counts {commit} rows but its batch ends at row {state.Rows + pending.Count}";
                        if (broken is not null) throw new StoreFormatException(broken);
                        foreach (var e in pending) state.Live[e.Key] = e;
                        foreach (var d in drops) state.Live.Remove(d);
                        state.Rows = (int)commit;
                        state.CommittedBytes = lineEnd;
                        pending.Clear();
                        drops.Clear();
                        batchKeys.Clear();
                        break;
                }
            }
            // Keep the unfinished line for the next read.
            lineStart += consumed;
            span[consumed..].CopyTo(buffer);
            filled -= consumed;
            if (n == 0) break;
            if (filled == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
        }
        if (needHeader) throw new StoreFormatException($"its index '{Path.GetFileName(file)}' is empty");
        // Anything after the last commit (pending lines, a torn last line, a broken line) is an unfinished batch: ignored.
    }

    static bool IsHeaderOf(ReadOnlySpan<byte> line, EmbeddingMeta meta)
    {
        try
        {
            using var doc = JsonDocument.Parse(line.ToArray());
            var root = doc.RootElement;
            return root.TryGetProperty("index", out var kind) && kind.ValueEquals("mediatagger-vectors")
                && root.TryGetProperty("generation", out var g) && g.TryGetInt32(out var gen) && gen == meta.Generation
                && root.TryGetProperty("dim", out var d) && d.TryGetInt32(out var dim) && dim == meta.Dim
                && root.TryGetProperty("modelId", out var m) && m.ValueEquals(meta.ModelId);
        }
        catch (JsonException) { return false; }
    }

    /// <summary>The first line of an index: which generation, model and dimension its rows belong to.</summary>
    public static byte[] Header(EmbeddingMeta meta)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("index"u8, "mediatagger-vectors");
            w.WriteNumber("generation"u8, meta.Generation ?? 0);
            w.WriteNumber("dim"u8, meta.Dim);
            w.WriteString("modelId"u8, meta.ModelId);
            w.WriteEndObject();
        }
        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    static string Describe(long offset) => $"at byte {offset}";

    enum LineKind { Set, Drop, Commit }

    static bool TryParse(ReadOnlySpan<byte> line, bool withStamps, out LineKind kind, out StoreEntry entry, out string? drop, out long commit, out string why)
    {
        kind = LineKind.Set;
        entry = default;
        drop = null;
        commit = -1;
        why = "";
        if (TryParseSet(line, withStamps, out entry)) return true;
        try
        {
            var r = new Utf8JsonReader(line);
            if (!r.Read() || r.TokenType != JsonTokenType.StartObject) { why = "not an object"; return false; }
            string? key = null, stamp = null;
            int row = -1;
            ulong sum = 0;
            var hasSum = false;
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                if (r.ValueTextEquals("key"u8)) { r.Read(); key = r.GetString(); }
                else if (r.ValueTextEquals("row"u8)) { r.Read(); row = r.GetInt32(); }
                else if (r.ValueTextEquals("stamp"u8)) { r.Read(); stamp = withStamps ? r.GetString() : null; }
                else if (r.ValueTextEquals("sum"u8))
                {
                    r.Read();
                    if (r.TokenType != JsonTokenType.String || !Utf8Parser.TryParse(r.ValueSpan, out sum, out var used, 'x') || used != r.ValueSpan.Length) { why = "a sum that is not hexadecimal"; return false; }
                    hasSum = true;
                }
                else if (r.ValueTextEquals("drop"u8)) { r.Read(); drop = r.GetString(); kind = LineKind.Drop; }
                else if (r.ValueTextEquals("commit"u8)) { r.Read(); commit = r.GetInt64(); kind = LineKind.Commit; }
                else { r.Read(); r.Skip(); }
            }
            if (r.TokenType != JsonTokenType.EndObject) { why = "not an object"; return false; }
            switch (kind)
            {
                case LineKind.Drop:
                    if (string.IsNullOrEmpty(drop)) { why = "an empty key"; return false; }
                    return true;
                case LineKind.Commit:
                    if (commit < 0 || commit > int.MaxValue) { why = $"a commit of {commit} rows"; return false; }
                    return true;
            }
            if (string.IsNullOrEmpty(key) || !EmbeddingStore.IsValidKey(key)) { why = $"the key '{key}'"; return false; }
            if (row < 0) { why = $"row {row} of the key '{key}'"; return false; }
            if (!hasSum) { why = $"no sum for the key '{key}'"; return false; }
            entry = new StoreEntry(key, row, stamp, sum, true);
            return true;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            why = ex.Message;
            return false;
        }
    }

    /// <summary>
    /// The set line exactly as <see cref="Encode"/> writes it, without a JSON reader (opening a million-row store parses a
    /// million of them). Anything else, including escapes, a negative row or a bad key, goes to the full parser, which
    /// also says what is wrong.
    /// </summary>
    static bool TryParseSet(ReadOnlySpan<byte> line, bool withStamps, out StoreEntry entry)
    {
        entry = default;
        if (!line.StartsWith("{\"key\":\""u8)) return false;
        var rest = line[8..];
        var q = rest.IndexOfAny((byte)'"', (byte)'\\');
        if (q <= 0 || rest[q] != '"') return false;
        var key = rest[..q];
        rest = rest[(q + 1)..];
        if (!rest.StartsWith(",\"row\":"u8) || !Utf8Parser.TryParse(rest[7..], out int row, out var used) || row < 0) return false;
        rest = rest[(7 + used)..];
        if (!rest.StartsWith(",\"stamp\":\""u8)) return false;
        rest = rest[10..];
        q = rest.IndexOfAny((byte)'"', (byte)'\\');
        if (q < 0 || rest[q] != '"') return false;
        var stamp = rest[..q];
        rest = rest[(q + 1)..];
        if (!rest.StartsWith(",\"sum\":\""u8) || rest.Length != 8 + 18 || !rest.EndsWith("\"}"u8)) return false;
        if (!Utf8Parser.TryParse(rest.Slice(8, 16), out ulong sum, out used, 'x') || used != 16) return false;
        var keyText = System.Text.Encoding.UTF8.GetString(key);
        if (!EmbeddingStore.IsValidKey(keyText)) return false;
        entry = new StoreEntry(keyText, row, withStamps ? System.Text.Encoding.UTF8.GetString(stamp) : null, sum, true);
        return true;
    }

    /// <summary>The lines of one batch: its rows (numbered on from <paramref name="firstRow"/>), its drops, then (unless told not to) its commit.</summary>
    public static byte[] Encode(IReadOnlyList<StoreEntry> rows, IReadOnlyCollection<string> drops, int firstRow, bool commit = true)
    {
        var buffer = new ArrayBufferWriter<byte>(rows.Count * 128 + drops.Count * 64 + 32);
        var options = new JsonWriterOptions { SkipValidation = true };
        using var w = new Utf8JsonWriter(buffer, options);
        void EndLine()
        {
            w.Flush();
            buffer.Write("\n"u8);
            w.Reset(buffer);
        }
        Span<byte> hex = stackalloc byte[16];
        foreach (var e in rows)
        {
            w.WriteStartObject();
            w.WriteString("key"u8, e.Key);
            w.WriteNumber("row"u8, e.Row);
            w.WriteString("stamp"u8, e.Stamp ?? "");
            Utf8Formatter.TryFormat(e.Sum, hex, out _, new StandardFormat('x', 16));
            w.WriteString("sum"u8, hex);
            w.WriteEndObject();
            EndLine();
        }
        foreach (var d in drops)
        {
            w.WriteStartObject();
            w.WriteString("drop"u8, d);
            w.WriteEndObject();
            EndLine();
        }
        if (commit)
        {
            w.WriteStartObject();
            w.WriteNumber("commit"u8, firstRow + rows.Count);
            w.WriteEndObject();
            EndLine();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
