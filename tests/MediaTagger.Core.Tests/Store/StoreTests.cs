using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Search;
using MediaTagger.Core.Store;
using MediaTagger.Core.Tests.Search;

namespace MediaTagger.Core.Tests.Store;

public class StoreTests
{
    const int Dim = SearchFixture.Dim8;

    static float[] Unit(int i) => SearchFixture.Normalize(Enumerable.Range(0, Dim).Select(j => (float)Math.Sin(i * 7 + j * 3 + 1)).ToArray());

    /// <summary>A store with keys k0..k(n-1) (rows 0..n-1, in batches of 2), as Add-MediaEmbedding writes it.</summary>
    static SearchFixture Healthy(int n = 6)
    {
        var f = new SearchFixture();
        for (var i = 0; i < n; i += 2)
            f.Store.Append(Enumerable.Range(i, Math.Min(2, n - i)).Select(k => new StoreRow($"k{k}", "s", Unit(k))).ToList());
        return f;
    }

    static StoreSnapshot Snap(SearchFixture f) => StoreSnapshot.Open(f.Location, withStamps: true)!;

    static MediaTaggerException LoadError(SearchFixture f, bool withModel = true) =>
        Assert.Throws<MediaTaggerException>(() => ResidentStore.Load(f.Location, withModel ? SearchFixture.ModelId : null, Dim).Release());

    static void EditIndex(SearchFixture f, Func<List<string>, List<string>> edit)
    {
        var path = Snap(f).IndexPath!;
        File.WriteAllLines(path, edit(File.ReadAllLines(path).ToList()));
    }

    static void EditMeta(SearchFixture f, Action<JsonObject> edit)
    {
        var path = Path.Combine(f.StoreFolder, StoreFiles.MetaFile);
        var meta = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(meta);
        File.WriteAllText(path, meta.ToJsonString());
    }

    static void EditRow(SearchFixture f, int row, Func<float[], float[]> edit)
    {
        var path = Snap(f).DataPath;
        using var fs = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        var bytes = new byte[Dim * 4];
        fs.Seek((long)row * bytes.Length, SeekOrigin.Begin);
        fs.ReadExactly(bytes);
        var v = edit(MemoryMarshal.Cast<byte, float>(bytes).ToArray());
        fs.Seek((long)row * bytes.Length, SeekOrigin.Begin);
        fs.Write(MemoryMarshal.AsBytes(v.AsSpan()));
    }

    /// <summary>The damage a user can do to the files, and whether the store can keep its intact rows (else it must be rebuilt).</summary>
    public static TheoryData<string, string, bool> Damage => new()
    {
        { "meta dim", ErrorIds.StoreModelMismatch, false },
        { "meta modelId", ErrorIds.StoreModelMismatch, false },
        { "commit count lowered", ErrorIds.StoreDamaged, true },
        { "NaN row", ErrorIds.StoreDamaged, true },
        { "non-unit row", ErrorIds.StoreDamaged, true },
        { "swapped data rows", ErrorIds.StoreDamaged, true },
        { "swapped index rows", ErrorIds.StoreDamaged, true },
        { "duplicate row", ErrorIds.StoreDamaged, true },
        { "negative row", ErrorIds.StoreDamaged, true },
        { "deleted meta", ErrorIds.StoreDamaged, false },
        { "truncated data", ErrorIds.StoreDamaged, true },
        { "garbled index", ErrorIds.StoreDamaged, true },
    };

    static void Apply(SearchFixture f, string damage)
    {
        switch (damage)
        {
            case "meta dim": EditMeta(f, m => m["dim"] = 16); break;
            case "meta modelId": EditMeta(f, m => m["modelId"] = "someone-else@1"); break;
            case "commit count lowered": EditIndex(f, l => l.Select(x => x == "{\"commit\":4}" ? "{\"commit\":3}" : x).ToList()); break;
            case "NaN row": EditRow(f, 1, v => { v[3] = float.NaN; return v; }); break;
            case "non-unit row": EditRow(f, 2, v => v.Select(x => x * 10).ToArray()); break;
            case "swapped data rows":
                var r0 = new float[Dim];
                EditRow(f, 0, v => { r0 = v; return Unit(1); });
                EditRow(f, 1, _ => r0);
                break;
            case "swapped index rows": EditIndex(f, l => l.Select(x => x.Replace("\"row\":0", "\"row\":@").Replace("\"row\":1", "\"row\":0").Replace("\"row\":@", "\"row\":1")).ToList()); break;
            case "duplicate row": EditIndex(f, l => l.Select(x => x.Replace("\"row\":3", "\"row\":2")).ToList()); break;
            case "negative row": EditIndex(f, l => l.Select(x => x.Replace("\"row\":5", "\"row\":-5")).ToList()); break;
            case "deleted meta": File.Delete(Path.Combine(f.StoreFolder, StoreFiles.MetaFile)); break;
            case "truncated data":
                using (var fs = new FileStream(Snap(f).DataPath, FileMode.Open)) fs.SetLength(fs.Length - Dim * 4 - 3);
                break;
            case "garbled index": EditIndex(f, l => l.Select((x, i) => i == 3 ? x[..10] + "#" + x[11..] : x).ToList()); break;
        }
    }

    [Theory]
    [MemberData(nameof(Damage))]
    public void Every_damage_is_one_error_naming_the_repair_and_that_repair_works(string damage, string errorId, bool salvageable)
    {
        using var f = Healthy();
        Apply(f, damage);

        // Search refuses, with the stable id and the exact command that repairs it.
        var error = LoadError(f);
        Assert.Equal(errorId, error.ErrorId);
        Assert.Contains(salvageable ? f.Location.RepairCommand : f.Location.RebuildCommand, error.Message);
        Assert.DoesNotContain("promises", error.Message);
        // Indexing agrees wherever the cheap checks of every open see it; the per-row check needs the rows read.
        var perRow = damage is "NaN row" or "non-unit row" or "swapped data rows";
        if (!perRow)
            Assert.Equal(errorId, Assert.Throws<MediaTaggerException>(() => EmbeddingStore.OpenOrCreate(f.Library, SearchFixture.ModelName, SearchFixture.ModelId, Dim, "none")).ErrorId);

        if (salvageable)
        {
            var repaired = EmbeddingStore.Optimize(f.Location)!;
            // Only an edited commit count leaves every row intact; the others cost the rows they hit.
            if (damage != "commit count lowered") Assert.True(6 - repaired.RowsAfter >= 1, $"nothing dropped for {damage}");
        }
        else
        {
            if (errorId == ErrorIds.StoreDamaged) Assert.Equal(errorId, Assert.Throws<MediaTaggerException>(() => EmbeddingStore.Optimize(f.Location)).ErrorId);
            var store = EmbeddingStore.OpenOrCreate(f.Library, SearchFixture.ModelName, SearchFixture.ModelId, Dim, "none", repair: true);
            Assert.True(store.Repaired!.Reset);
        }
        // Whatever stays is intact: every remaining key still has its own vector, and search loads it.
        var loaded = ResidentStore.Load(f.Location, SearchFixture.ModelId, Dim);
        for (var i = 0; i < loaded.RowCount; i++) Assert.Equal(Unit(int.Parse(loaded.Keys[i][1..])), loaded.Row(i).ToArray());
        loaded.Release();
        // -Force always repairs too: it keeps the intact rows and the run re-embeds the rest.
        Assert.Null(EmbeddingStore.OpenOrCreate(f.Library, SearchFixture.ModelName, SearchFixture.ModelId, Dim, "none", repair: true).Repaired);
    }

    [Fact]
    public void Force_repairs_damage_only_the_per_row_check_sees_keeping_the_intact_rows()
    {
        using var f = Healthy();
        Apply(f, "NaN row");
        var store = EmbeddingStore.OpenOrCreate(f.Library, SearchFixture.ModelName, SearchFixture.ModelId, Dim, "none", repair: true);
        Assert.Equal((1, 5, false), (store.Repaired!.Damaged, store.Repaired.RowsAfter, store.Repaired.Reset));
        Assert.False(store.Contains("k1"));
        var loaded = ResidentStore.Load(f.Location);
        Assert.Equal(5, loaded.RowCount);
        loaded.Release();
    }

    [Fact]
    public void An_append_adds_its_batch_to_the_end_of_the_index_and_data_and_rewrites_nothing()
    {
        using var f = Healthy(4);
        var before = Snap(f);
        var index = File.ReadAllBytes(before.IndexPath!);
        var meta = File.ReadAllBytes(Path.Combine(f.StoreFolder, StoreFiles.MetaFile));
        f.Store.Append([new StoreRow("k9", "s", Unit(9)), new StoreRow("k0", "s2", Unit(10))]);
        var after = File.ReadAllBytes(before.IndexPath!);
        Assert.Equal(index, after[..index.Length]);
        Assert.Equal(3, System.Text.Encoding.UTF8.GetString(after[index.Length..]).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(meta, File.ReadAllBytes(Path.Combine(f.StoreFolder, StoreFiles.MetaFile)));
        Assert.Equal(6L * Dim * 4, new FileInfo(before.DataPath).Length);
        var s = Snap(f);
        Assert.Equal((6, 5, 1), (s.Rows, s.Live.Count, s.Superseded));
        Assert.Equal(5, s.Live["k0"].Row);
    }

    [Fact]
    public void Appending_an_asset_again_with_fewer_frames_replaces_all_its_frames()
    {
        using var f = new SearchFixture();
        var id = AssetId.For("clip.mp4");
        f.Store.Append(Enumerable.Range(1, 5).Select(i => new StoreRow(EmbeddingStore.Key(id, i), $"f{i}", Unit(i))).ToList());
        Assert.True(f.Store.IsCurrent(id, ["f1", "f2", "f3", "f4", "f5"]));
        // The video was rendered again with one frame: its stamp list is shorter, so it is not current.
        Assert.False(f.Store.IsCurrent(id, ["f1"]));
        f.Store.Append([new StoreRow(id, "g1", Unit(9))]);
        Assert.True(f.Store.IsCurrent(id, ["g1"]));
        Assert.Equal([id], Snap(f).Live.Keys);
        var loaded = ResidentStore.Load(f.Location);
        Assert.Equal((1, 1), (loaded.RowCount, loaded.GroupCount));
        loaded.Release();
    }

    [Fact]
    public void Compaction_runs_past_the_superseded_fraction_or_on_request_and_drops_uncatalogued_assets()
    {
        using var f = Healthy(8);
        f.Store.Append([new StoreRow("k0", "again", Unit(20))]);
        Assert.Null(f.Store.Compact(onlyIfNeeded: true)); // 1 of 9 rows superseded: below a quarter
        f.Store.Append([new StoreRow("k1", "again", Unit(21)), new StoreRow("k2", "again", Unit(22))]);
        var auto = f.Store.Compact(onlyIfNeeded: true)!; // 3 of 11: past a quarter
        Assert.Equal((11, 8, 3, 0), (auto.RowsBefore, auto.RowsAfter, auto.Superseded, auto.Removed));
        Assert.True(auto.BytesAfter < auto.BytesBefore);
        var s = Snap(f);
        Assert.Equal((8, 0), (s.Rows, s.Superseded));
        Assert.Equal(Unit(20), ResidentStoreRow(f, "k0"));

        // On request: everything superseded, and the rows of assets the catalog no longer has.
        var explicitly = EmbeddingStore.Optimize(f.Location, keepAsset: id => id != "k5" && id != "k6")!;
        Assert.Equal((8, 6, 0, 2), (explicitly.RowsBefore, explicitly.RowsAfter, explicitly.Superseded, explicitly.Removed));
        Assert.Equal(2, Directory.EnumerateFiles(f.StoreFolder).Count(p => StoreFiles.IsStoreFile(Path.GetFileName(p))));
        // The writer that was open meanwhile sees the new generation and carries on.
        f.Store.Append([new StoreRow("k7", "later", Unit(30))]);
        Assert.Equal(Unit(30), ResidentStoreRow(f, "k7"));
        Assert.Equal(6, Snap(f).Live.Count);
    }

    static float[] ResidentStoreRow(SearchFixture f, string key)
    {
        var store = ResidentStore.Load(f.Location);
        try { return store.Row(Array.IndexOf(store.Keys, key)).ToArray(); }
        finally { store.Release(); }
    }

    [Fact]
    public void A_store_in_the_0_1_format_is_read_as_it_is_and_migrated_in_place_on_the_first_write()
    {
        using var f = new SearchFixture();
        Directory.CreateDirectory(f.StoreFolder);
        // Exactly what MediaTagger 0.1 wrote: 4 rows, row 1 superseded by row 3 (key b re-embedded).
        var rows = new[] { Unit(0), Unit(1), Unit(2), Unit(3) };
        File.WriteAllBytes(Path.Combine(f.StoreFolder, StoreFiles.V1Data), rows.SelectMany(r => MemoryMarshal.AsBytes(r.AsSpan()).ToArray()).ToArray());
        File.WriteAllText(Path.Combine(f.StoreFolder, StoreFiles.V1Index), "{\"a\":0,\"c\":2,\"b\":3}");
        File.WriteAllText(Path.Combine(f.StoreFolder, StoreFiles.V1Stamps), "{\"a\":\"sa\",\"b\":\"sb\",\"c\":\"sc\"}");
        File.WriteAllText(Path.Combine(f.StoreFolder, StoreFiles.MetaFile),
            $"{{\"formatVersion\":1,\"model\":\"testmodel\",\"modelId\":\"{SearchFixture.ModelId}\",\"dim\":{Dim},\"count\":4,\"preprocessing\":\"none\",\"dtype\":\"float32\",\"byteOrder\":\"little\",\"normalized\":true}}");
        File.WriteAllText(Path.Combine(f.StoreFolder, StoreFiles.MetaFile + ".lock"), "");

        Assert.Equal(Unit(3), ResidentStoreRow(f, "b"));
        var store = EmbeddingStore.OpenOrCreate(f.Library, SearchFixture.ModelName, SearchFixture.ModelId, Dim, "none");
        Assert.True(store.IsCurrent("b", ["sb"]));
        store.Append([new StoreRow("d", "sd", Unit(4))]);

        var s = Snap(f);
        Assert.Equal((2, 1), (s.Meta.FormatVersion, s.Meta.Generation));
        Assert.Equal(["a", "c", "b", "d"], s.EntriesByRow().Select(e => e.Key));
        Assert.Equal("sb", s.Live["b"].Stamp);
        Assert.Equal([StoreFiles.DataFile(1), StoreFiles.IndexFile(1), "embeddings.lock", StoreFiles.MetaFile], Directory.EnumerateFiles(f.StoreFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var (key, i) in new[] { ("a", 0), ("b", 3), ("c", 2), ("d", 4) }) Assert.Equal(Unit(i), ResidentStoreRow(f, key));
    }

    [Fact]
    public async Task Two_writers_take_turns_and_lose_nothing_and_store_nothing_twice()
    {
        using var f = new SearchFixture();
        var other = EmbeddingStore.OpenOrCreate(f.Library, SearchFixture.ModelName, SearchFixture.ModelId, Dim, "none");
        // Both were asked for k0..k299; each starts from its own end, so they meet in the middle.
        var keys = Enumerable.Range(0, 300).ToList();
        void Write(EmbeddingStore store, IEnumerable<int> order)
        {
            foreach (var chunk in order.Chunk(8))
            {
                var todo = chunk.Where(k => !store.IsCurrent($"k{k}", ["s"])).ToList();
                if (todo.Count > 0) store.Append(todo.Select(k => new StoreRow($"k{k}", "s", Unit(k))).ToList());
            }
        }
        await Task.WhenAll(Task.Run(() => Write(f.Store, keys)), Task.Run(() => Write(other, Enumerable.Reverse(keys))));
        var s = Snap(f);
        Assert.Equal(300, s.Live.Count);
        Assert.Equal(300, s.Rows); // no key stored twice
        var loaded = ResidentStore.Load(f.Location);
        for (var i = 0; i < loaded.RowCount; i++) Assert.Equal(Unit(int.Parse(loaded.Keys[i][1..])), loaded.Row(i).ToArray());
        loaded.Release();
    }

    [Fact]
    public void A_crashed_compaction_leaves_the_old_store_whole_and_the_next_write_removes_its_debris()
    {
        using var f = Healthy(4);
        // What a kill during compaction leaves: the next generation half written, a temp meta, the meta not switched.
        File.WriteAllBytes(Path.Combine(f.StoreFolder, StoreFiles.DataFile(2)), new byte[Dim * 4 + 7]);
        File.WriteAllText(Path.Combine(f.StoreFolder, StoreFiles.IndexFile(2)), "{\"index\":\"mediatagger-vectors\"");
        var deadTemp = Path.Combine(f.StoreFolder, $".{StoreFiles.MetaFile}.mt{AtomicFile.HostTag}-{int.MaxValue - 1}.0badf00d.tmp");
        File.WriteAllText(deadTemp, "{");
        var liveTemp = AtomicFile.TempNameFor(Path.Combine(f.StoreFolder, StoreFiles.MetaFile)); // this process still runs: kept
        File.WriteAllText(liveTemp, "{");
        var reps = Directory.CreateDirectory(f.Library.RepsPath).FullName;
        var oldRep = Path.Combine(reps, ".abc.jpg.0badf00d.tmp"); // an unmarked temp of MediaTagger 0.1, hours old
        File.WriteAllText(oldRep, "x");
        File.SetLastWriteTimeUtc(oldRep, DateTime.UtcNow.AddHours(-2));

        Assert.Equal(4, Snap(f).Live.Count);
        Assert.Equal(Unit(3), ResidentStoreRow(f, "k3"));
        var fresh = EmbeddingStore.OpenOrCreate(f.Library, SearchFixture.ModelName, SearchFixture.ModelId, Dim, "none");
        fresh.Append([new StoreRow("k4", "s", Unit(4))]);
        Assert.False(File.Exists(Path.Combine(f.StoreFolder, StoreFiles.DataFile(2))));
        Assert.False(File.Exists(Path.Combine(f.StoreFolder, StoreFiles.IndexFile(2))));
        Assert.False(File.Exists(deadTemp));
        Assert.True(File.Exists(liveTemp));
        Assert.Equal(1, AtomicFile.SweepDebris(reps));
        Assert.Equal(5, Snap(f).Live.Count);
    }

    [Fact]
    public void A_failed_open_creates_nothing_and_a_new_store_appears_with_its_first_commit()
    {
        using var f = new SearchFixture();
        Assert.False(Directory.Exists(f.StoreFolder));
        Assert.Null(StoreSnapshot.Open(f.Location));
        f.Store.Append([new StoreRow("a", "s", Unit(0))]);
        Assert.Single(Snap(f).Live);
        Assert.Throws<ArgumentException>(() => f.Store.Append([new StoreRow("b", "s", new float[Dim])]));
        Assert.Throws<ArgumentException>(() => f.Store.Append([new StoreRow("b#1", "s", Unit(1))]));
        Assert.Equal(1, Snap(f).Rows);
    }
}
