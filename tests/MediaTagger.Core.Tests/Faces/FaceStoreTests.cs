using MediaTagger.Core.Common;
using MediaTagger.Core.Faces;
using MediaTagger.Core.Library;

namespace MediaTagger.Core.Tests.Faces;

public class FaceStoreTests
{
    static FaceRecord Record(string id, int faces, float seed) => new(id, "1:2", "m", Enumerable.Range(0, faces)
        .Select(i => new StoredFace(0.1f * i, 0.2f, 0.1f, 0.1f, 0.9f, new float[12], null)
        {
            Vector = Enumerable.Range(0, FaceModelFiles.Dimension).Select(k => seed + i + k * 1e-3f).ToArray(),
        }).ToList());

    [Fact]
    public void Records_and_vectors_survive_a_reopen_and_the_latest_record_of_an_asset_wins()
    {
        using var t = new TempFolder("fstore");
        var lib = MediaLibrary.Open(t.Path);
        var store = FaceStore.Open(lib);
        store.Append([Record("a", 2, 1), Record("b", 0, 2)]);
        store.Append([Record("a", 1, 5)]);

        var again = FaceStore.Open(lib);
        Assert.Equal(2, again.Records.Count);
        Assert.Single(again.Records["a"].Faces);
        Assert.Equal(5f, again.Records["a"].Faces[0].Vector[0]);
        Assert.Empty(again.Records["b"].Faces);
        Assert.True(again.IsCurrent("a", "1:2", "m"));
        Assert.False(again.IsCurrent("a", "1:3", "m"));
        Assert.False(again.IsCurrent("a", "1:2", "other model"));
    }

    [Fact]
    public void A_crash_mid_write_leaves_a_readable_store_and_the_next_append_cuts_the_debris()
    {
        using var t = new TempFolder("fcrash");
        var lib = MediaLibrary.Open(t.Path);
        FaceStore.Open(lib).Append([Record("a", 2, 1)]);
        var folder = FaceStore.FolderOf(lib);
        // As if killed while appending: vectors of a record written, its line half written.
        File.AppendAllText(Path.Combine(folder, "faces.jsonl"), "{\"id\":\"b\",\"stamp\":");
        using (var fs = new FileStream(Path.Combine(folder, "faces.f32"), FileMode.Append)) fs.Write(new byte[FaceModelFiles.Dimension * 4 * 3]);

        var store = FaceStore.Open(lib);
        Assert.Equal(["a"], store.Records.Keys);
        store.Append([Record("c", 1, 7)]);

        var again = FaceStore.Open(lib);
        Assert.Equal(["a", "c"], again.Records.Keys.Order());
        Assert.Equal(7f, again.Records["c"].Faces[0].Vector[0]);
        Assert.Equal(3L * FaceModelFiles.Dimension * 4, new FileInfo(Path.Combine(folder, "faces.f32")).Length);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(folder, "faces.jsonl")).Length);
    }

    [Fact]
    public void A_line_whose_vectors_are_missing_does_not_count()
    {
        using var t = new TempFolder("fvec");
        var lib = MediaLibrary.Open(t.Path);
        FaceStore.Open(lib).Append([Record("a", 2, 1)]);
        var f32 = Path.Combine(FaceStore.FolderOf(lib), "faces.f32");
        using (var fs = new FileStream(f32, FileMode.Open)) fs.SetLength(fs.Length - 4);
        Assert.Empty(FaceStore.Open(lib).Records);
    }

    [Fact]
    public void A_damaged_store_is_one_clear_error()
    {
        using var t = new TempFolder("fbad");
        var lib = MediaLibrary.Open(t.Path);
        Directory.CreateDirectory(FaceStore.FolderOf(lib));
        File.WriteAllText(Path.Combine(FaceStore.FolderOf(lib), "faces.jsonl"), "not json\n");
        var ex = Assert.Throws<MediaTaggerException>(() => FaceStore.Open(lib));
        Assert.Equal(ErrorIds.FaceStoreUnreadable, ex.ErrorId);
    }

    [Fact]
    public void Names_are_recorded_as_events_the_latest_wins_and_the_previous_name_is_returned_for_undo()
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
        Assert.Equal(4, File.ReadAllLines(Path.Combine(FaceStore.FolderOf(lib), "names.jsonl")).Length);

        FaceStore.DeleteAll(lib);
        Assert.False(Directory.Exists(FaceStore.FolderOf(lib)));
        Assert.Empty(FaceStore.Open(lib).Records);
    }
}
