using System.Runtime.InteropServices;
using System.Text.Json;
using MediaTagger.Core.Common;
using MediaTagger.Core.Faces;
using MediaTagger.Core.Library;
using MediaTagger.Core.Store;

namespace MediaTagger.Core.Tests.Faces;

/// <summary>The face data: records in the face log, vectors in the vector store (Store v2), names, crashes, damage, repair, migration.</summary>
public class FaceStoreTests
{
    /// <summary>A unit vector that differs per seed (so faces of different seeds are far apart).</summary>
    static float[] Unit(float seed)
    {
        var v = Enumerable.Range(0, FaceModelFiles.Dimension).Select(k => MathF.Sin(seed * 7.3f + k * (0.37f + seed))).ToArray();
        var n = MathF.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / n).ToArray();
    }

    static FaceRecord Record(string id, int faces, float seed, string stamp = "1:2", string model = "m") => new(id, stamp, model, Enumerable.Range(0, faces)
        .Select(i => new StoredFace(0.3f * i, 0.2f, 0.2f, 0.2f, 0.9f, new float[12], null) { Vector = Unit(seed + i) }).ToList());

    static string VectorFolder(MediaLibrary lib) => new StoreLocation(lib, FaceStore.VectorModel).Folder;

    [Fact]
    public void Records_survive_a_reopen_with_their_vectors_in_the_vector_store_and_the_latest_record_wins()
    {
        using var t = new TempFolder("fstore");
        var lib = MediaLibrary.Open(t.Path);
        var store = FaceStore.Open(lib);
        store.Append([Record("a", 2, 1), Record("b", 0, 2)]);
        store.Append([Record("a", 1, 5)]);

        var again = FaceStore.Open(lib);
        Assert.Equal(2, again.Records.Count);
        Assert.Equal(Unit(5), Assert.Single(again.Records["a"].Faces).Vector);
        Assert.Empty(again.Records["b"].Faces);
        Assert.True(again.IsCurrent("a", "1:2", "m"));
        Assert.False(again.IsCurrent("a", "1:3", "m"));
        Assert.False(again.IsCurrent("a", "1:2", "other model"));
        // The vectors are the vector store's: one live row per face, "a#2" dropped when a lost its second face.
        var snapshot = StoreSnapshot.Open(new StoreLocation(lib, FaceStore.VectorModel), withStamps: true, "m", FaceModelFiles.Dimension)!;
        Assert.Equal(["a"], snapshot.Live.Keys);
        Assert.Equal(FaceStore.Preprocessing, snapshot.Meta.Preprocessing);
        Assert.False(File.Exists(Path.Combine(FaceStore.FolderOf(lib), "faces.f32")));
        // Face vectors are never offered as an image-embedding store.
        Assert.Empty(MediaTagger.Core.Search.MediaQuery.StoreNames(lib));
    }

    [Fact]
    public void Two_writers_take_in_each_others_commits()
    {
        using var t = new TempFolder("ftwo");
        var lib = MediaLibrary.Open(t.Path);
        var first = FaceStore.Open(lib);
        var second = FaceStore.Open(lib);
        first.Append([Record("a", 2, 1)]);
        second.Append([Record("b", 1, 3)]);
        // The second writer read the first one's record (and its vectors) before adding its own.
        Assert.Equal(["a", "b"], second.Records.Keys.Order());
        Assert.Equal(Unit(2), second.Records["a"].Faces[1].Vector);
        first.SetNames([("b:0", "Bea")]);
        second.SetNames([("a:0", "Al")]);
        var again = FaceStore.Open(lib);
        Assert.Equal(new Dictionary<string, string> { ["a:0"] = "Al", ["b:0"] = "Bea" }, again.Names);
        // A re-analysis by the first writer replaces the record the second one knows.
        first.Append([Record("b", 0, 3, stamp: "1:9")]);
        second.Append([Record("c", 1, 4)]);
        Assert.Empty(second.Records["b"].Faces);
        Assert.Equal(3, FaceStore.Open(lib).Records.Count);
    }

    [Fact]
    public void An_asset_that_no_longer_has_faces_drops_its_vectors()
    {
        using var t = new TempFolder("fempty");
        var lib = MediaLibrary.Open(t.Path);
        var store = FaceStore.Open(lib);
        store.Append([Record("a", 3, 1)]);
        store.Append([Record("a", 0, 1, stamp: "1:3")]);
        var snapshot = StoreSnapshot.Open(new StoreLocation(lib, FaceStore.VectorModel))!;
        Assert.Empty(snapshot.Live);
        Assert.True(FaceStore.Open(lib).IsCurrent("a", "1:3", "m"));
    }

    [Fact]
    public void A_crash_between_vectors_and_record_keeps_the_previous_record_and_names_and_the_next_append_cuts_the_debris()
    {
        using var t = new TempFolder("fcrash");
        var lib = MediaLibrary.Open(t.Path);
        var store = FaceStore.Open(lib);
        store.Append([Record("a", 2, 1), Record("b", 1, 3)]);
        store.SetNames([("a:1", "Alice")]);
        var log = Path.Combine(FaceStore.FolderOf(lib), FaceLog.FileName);
        var committed = new FileInfo(log).Length;
        // As if killed while re-analysing a: its new vectors committed, its record line half written.
        EmbeddingStore.OpenOrCreate(lib, FaceStore.VectorModel, "m", FaceModelFiles.Dimension, FaceStore.Preprocessing)
            .Append([new StoreRow("a", "1:9|deadbeef", Unit(8)), new StoreRow("a#2", "1:9|deadbeef", Unit(9))]);
        File.AppendAllText(log, "{\"asset\":\"a\",\"stamp\":\"1:9\",\"mo");

        var after = FaceStore.Open(lib);
        // a is not current (its vectors are not those of its record): the next run analyses it again; b is untouched.
        Assert.False(after.Records.ContainsKey("a"));
        Assert.True(after.IsCurrent("b", "1:2", "m"));
        Assert.Equal("Alice", after.Names["a:1"]);

        // The re-analysis finds the same two faces: the named one keeps its name; the half line is gone.
        after.Append([Record("a", 2, 1, stamp: "1:9")]);
        var again = FaceStore.Open(lib);
        Assert.True(again.IsCurrent("a", "1:9", "m"));
        Assert.Equal("Alice", again.Names["a:1"]);
        Assert.False(again.Names.ContainsKey("a:0"));
        var lines = File.ReadAllLines(log);
        Assert.StartsWith("{\"commit\":", lines[^1]);
        Assert.All(lines, l => JsonDocument.Parse(l).Dispose());
        Assert.True(new FileInfo(log).Length > committed);
    }

    [Fact]
    public void A_damaged_face_log_is_one_error_naming_the_repair_and_the_repair_keeps_every_intact_record_and_name()
    {
        using var t = new TempFolder("fbad");
        var lib = MediaLibrary.Open(t.Path);
        var store = FaceStore.Open(lib);
        store.Append([Record("a", 1, 1)]);
        store.Append([Record("b", 1, 2)]);
        store.SetNames([("a:0", "Alice"), ("b:0", "Bob")]);
        var log = Path.Combine(FaceStore.FolderOf(lib), FaceLog.FileName);
        // One flipped digit inside b's committed record line (a score 0.9 → 0.8).
        var lines = File.ReadAllLines(log);
        var bLine = Array.FindIndex(lines, l => l.StartsWith("{\"asset\":\"b\""));
        lines[bLine] = lines[bLine].Replace("\"score\":0.9", "\"score\":0.8");
        File.WriteAllLines(log, lines);

        var ex = Assert.Throws<MediaTaggerException>(() => FaceStore.Open(lib));
        Assert.Equal(ErrorIds.FaceStoreDamaged, ex.ErrorId);
        Assert.Contains($"Optimize-MediaStore -Library '{lib.Root}' -Model faces", ex.Message);
        // Writers refuse it too (nothing is appended to a damaged log).
        Assert.Throws<MediaTaggerException>(() => FaceLibrary.Open(lib));

        var result = FaceStore.Optimize(lib, keepAsset: null, CancellationToken.None)!;
        Assert.Equal(1, result.Damaged);
        var repaired = FaceStore.Open(lib);
        Assert.Equal(["a"], repaired.Records.Keys);
        Assert.Equal("Alice", repaired.Names["a:0"]);
        // b's record was lost with its line: the next Add-MediaFace analyses its file again; a name needs a face to stay on.
        Assert.False(repaired.Names.ContainsKey("b:0"));
    }

    [Fact]
    public void A_damaged_face_vector_is_the_vector_stores_error_naming_the_face_repair()
    {
        using var t = new TempFolder("fbadv");
        var lib = MediaLibrary.Open(t.Path);
        FaceStore.Open(lib).Append([Record("a", 1, 1), Record("b", 2, 2)]);
        var snapshot = StoreSnapshot.Open(new StoreLocation(lib, FaceStore.VectorModel))!;
        var row = snapshot.Live["b#2"].Row;
        using (var fs = new FileStream(snapshot.DataPath, FileMode.Open))
        {
            fs.Seek(row * FaceModelFiles.Dimension * 4L + 40, SeekOrigin.Begin);
            fs.WriteByte(0x7f);
        }

        var ex = Assert.Throws<MediaTaggerException>(() => FaceStore.Open(lib));
        Assert.Equal(ErrorIds.StoreDamaged, ex.ErrorId);
        Assert.Contains($"Optimize-MediaStore -Library '{lib.Root}' -Model faces", ex.Message);
        Assert.Contains($"Add-MediaFace -Library '{lib.Root}'", ex.Message);

        Assert.Equal(1, FaceStore.Optimize(lib, null, CancellationToken.None)!.Damaged);
        var repaired = FaceStore.Open(lib);
        Assert.Equal(["a"], repaired.Records.Keys);   // b lost a vector: analysed again by the next run
        // -Force (Open with repair) on a damaged store repairs it too.
        FaceStore.Open(lib).Append([Record("b", 2, 2)]);
        using (var fs = new FileStream(StoreSnapshot.Open(new StoreLocation(lib, FaceStore.VectorModel))!.DataPath, FileMode.Open))
        {
            fs.Seek(8, SeekOrigin.Begin);
            fs.WriteByte(0x7f);
        }
        Assert.Throws<MediaTaggerException>(() => FaceStore.Open(lib));
        Assert.Single(FaceStore.Open(lib, repair: true).Records);
    }

    [Fact]
    public void Names_are_recorded_as_events_the_latest_wins_the_previous_name_is_returned_and_compaction_keeps_them()
    {
        using var t = new TempFolder("fname");
        var lib = MediaLibrary.Open(t.Path);
        var store = FaceStore.Open(lib);
        store.Append([Record("a", 2, 1)]);
        store.SetNames([("a:0", "Alice"), ("a:1", "Bob")]);
        var previous = store.SetNames([("a:0", "Carol"), ("a:1", null)]);
        Assert.Equal([("a:0", (string?)"Alice"), ("a:1", "Bob")], previous);

        var again = FaceStore.Open(lib);
        Assert.Equal("Carol", again.Names["a:0"]);
        Assert.False(again.Names.ContainsKey("a:1"));

        again.Compact();
        var log = Path.Combine(FaceStore.FolderOf(lib), FaceLog.FileName);
        Assert.Equal(3, File.ReadAllLines(log).Length);   // header, a's record with its names inline, commit
        var compacted = FaceStore.Open(lib);
        Assert.Equal("Carol", compacted.Names["a:0"]);
        Assert.False(compacted.Names.ContainsKey("a:1"));
        Assert.Equal(Unit(1), compacted.Records["a"].Faces[0].Vector);

        FaceStore.DeleteAll(lib);
        Assert.False(Directory.Exists(FaceStore.FolderOf(lib)));
        Assert.False(Directory.Exists(VectorFolder(lib)));
        Assert.Empty(FaceStore.Open(lib).Records);
    }

    /// <summary>Writes a face store exactly as this morning's build did (faces.jsonl + faces.f32 + names.jsonl).</summary>
    static void WriteMorningStore(string folder, params (string Id, float[][] Vectors)[] assets)
    {
        Directory.CreateDirectory(folder);
        long row = 0;
        using var f32 = new FileStream(Path.Combine(folder, "faces.f32"), FileMode.Create);
        using var jsonl = new StreamWriter(Path.Combine(folder, "faces.jsonl"));
        foreach (var (id, vectors) in assets)
        {
            foreach (var v in vectors) f32.Write(MemoryMarshal.AsBytes(v.AsSpan()));
            var faces = string.Join(",", vectors.Select((_, i) =>
                $"{{\"x\":{0.3 * i},\"y\":0.2,\"w\":0.2,\"h\":0.2,\"score\":0.9,\"landmarks\":[0.1,0.2,0.3,0.2,0.2,0.3,0.2,0.35,0.05,0.25,0.35,0.25],\"frame\":null}}"));
            jsonl.Write($"{{\"id\":\"{id}\",\"stamp\":\"10:20\",\"model\":\"m\",\"row\":{row},\"dim\":1024,\"faces\":[{faces}]}}\n");
            row += vectors.Length;
        }
    }

    [Fact]
    public void This_mornings_face_store_is_migrated_on_open_with_every_name_and_vector()
    {
        using var t = new TempFolder("fmig");
        var lib = MediaLibrary.Open(t.Path);
        var folder = FaceStore.FolderOf(lib);
        WriteMorningStore(folder, ("a", [Unit(1), Unit(2)]), ("b", []), ("c", [Unit(3)]));
        File.WriteAllText(Path.Combine(folder, "names.jsonl"),
            "{\"face\":\"a:1\",\"name\":\"Alice\",\"utc\":\"2026-11-27T10:00:00Z\"}\n" +
            "{\"face\":\"c:0\",\"name\":\"Carl\",\"utc\":\"2026-11-27T10:00:00Z\"}\n" +
            "{\"face\":\"c:0\",\"name\":\"Chris\",\"utc\":\"2026-11-27T10:01:00Z\"}\n" +
            "{\"face\":\"a:0\",\"name\":\"Bob\",\"utc\":\"2026-11-27T10:02:00Z\"}\n" +
            "{\"face\":\"a:0\",\"name\":null,\"utc\":\"2026-11-27T10:03:00Z\"}\n");

        var store = FaceStore.Open(lib);
        Assert.Equal(["a", "b", "c"], store.Records.Keys.Order());
        Assert.True(store.IsCurrent("a", "10:20", "m"));
        AssertClose(Unit(2), store.Records["a"].Faces[1].Vector);
        Assert.Equal(new Dictionary<string, string> { ["a:1"] = "Alice", ["c:0"] = "Chris" }, store.Names);
        Assert.Equal(0.3f, store.Records["a"].Faces[1].X, 5);
        // The old files are gone; the vectors are in the vector store.
        Assert.Equal([FaceLog.FileName], Directory.EnumerateFiles(folder).Select(Path.GetFileName).Where(n => !n!.EndsWith(".lock")));
        Assert.Equal(3, StoreSnapshot.Open(new StoreLocation(lib, FaceStore.VectorModel))!.Live.Count);
        Assert.Equal("Alice", FaceStore.Open(lib).Names["a:1"]);
    }

    [Fact]
    public void A_migration_interrupted_before_its_commit_runs_again_and_one_interrupted_after_it_only_cleans_up()
    {
        using var t = new TempFolder("fmig2");
        var lib = MediaLibrary.Open(t.Path);
        var folder = FaceStore.FolderOf(lib);
        WriteMorningStore(folder, ("a", [Unit(1)]));
        File.WriteAllText(Path.Combine(folder, "names.jsonl"), "{\"face\":\"a:0\",\"name\":\"Alice\",\"utc\":\"2026-11-27T10:00:00Z\"}\n");
        // Killed after the vectors were committed, before the log: the old store is still the store.
        EmbeddingStore.OpenOrCreate(lib, FaceStore.VectorModel, "m", FaceModelFiles.Dimension, FaceStore.Preprocessing)
            .Append([new StoreRow("a", "10:20|00000000", Unit(1))]);
        Assert.Equal("Alice", FaceStore.Open(lib).Names["a:0"]);
        Assert.False(File.Exists(Path.Combine(folder, "faces.jsonl")));

        // Killed after the log was written, before the old files were deleted: the log wins, the old files go.
        File.WriteAllText(Path.Combine(folder, "faces.jsonl"), "{\"id\":\"zzz\"}\n");
        File.WriteAllText(Path.Combine(folder, "names.jsonl"), "{\"face\":\"a:0\",\"name\":\"Mallory\",\"utc\":\"2026-11-27T10:00:00Z\"}\n");
        var store = FaceStore.Open(lib);
        Assert.Equal("Alice", store.Names["a:0"]);
        Assert.Equal(["a"], store.Records.Keys);
        Assert.False(File.Exists(Path.Combine(folder, "names.jsonl")));
    }

    [Fact]
    public void A_damaged_morning_store_is_an_error_naming_the_repair_and_the_repair_migrates_what_it_can()
    {
        using var t = new TempFolder("fmig3");
        var lib = MediaLibrary.Open(t.Path);
        var folder = FaceStore.FolderOf(lib);
        WriteMorningStore(folder, ("a", [Unit(1)]));
        File.AppendAllText(Path.Combine(folder, "faces.jsonl"), "not json\n");
        File.WriteAllText(Path.Combine(folder, "names.jsonl"), "{\"face\":\"a:0\",\"name\":\"Alice\",\"utc\":\"2026-11-27T10:00:00Z\"}\n");
        var ex = Assert.Throws<MediaTaggerException>(() => FaceStore.Open(lib));
        Assert.Equal(ErrorIds.FaceStoreDamaged, ex.ErrorId);
        Assert.Contains("-Model faces", ex.Message);

        Assert.True(FaceStore.Optimize(lib, null, CancellationToken.None)!.Migrated);
        var store = FaceStore.Open(lib);
        Assert.Equal("Alice", store.Names["a:0"]);
        AssertClose(Unit(1), store.Records["a"].Faces[0].Vector);
    }

    static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        Assert.All(expected.Zip(actual), p => Assert.Equal(p.First, p.Second, 1e-6f));
    }

    [Fact]
    public void Names_carry_over_to_faces_that_overlap_and_look_alike_and_not_to_others()
    {
        using var t = new TempFolder("fcarry");
        var lib = MediaLibrary.Open(t.Path);
        var store = FaceStore.Open(lib);
        store.Append([Record("a", 3, 1)]);   // faces at x = 0, 0.3, 0.6 (each 0.2 wide)
        store.SetNames([("a:0", "Ann"), ("a:1", "Ben"), ("a:2", "Cy")]);
        static StoredFace At(float x, float[] v) => new(x, 0.2f, 0.2f, 0.2f, 0.9f, new float[12], null) { Vector = v };
        // Re-analysed: Ann's face found again slightly moved (IoU 0.67) and is first now; Ben's box is there but the
        // face is someone else's (a vector far from Ben's); Cy's face moved off by more than half its box.
        store.Append([new FaceRecord("a", "1:5", "m", [At(0.31f, Unit(40)), At(0.04f, Unit(1)), At(0.72f, Unit(3))])]);

        var again = FaceStore.Open(lib);
        Assert.Equal("Ann", again.Names["a:1"]);
        Assert.False(again.Names.ContainsKey("a:0"));
        Assert.False(again.Names.ContainsKey("a:2"));
        Assert.Equal(0.5, FaceNameCarry.MinOverlap);
    }
}
