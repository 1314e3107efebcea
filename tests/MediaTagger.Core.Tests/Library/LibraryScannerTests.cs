using MediaTagger.Core.Common;
using MediaTagger.Core.Library;

namespace MediaTagger.Core.Tests.Library;

public class LibraryScannerTests
{
    static ScanResult Scan(MediaLibrary lib, List<ItemError> errors, ScanOptions? options = null, params string[] paths) =>
        LibraryScanner.Scan(lib, paths.Length == 0 ? [lib.Root] : paths, options ?? new ScanOptions(), errors.Add);

    [Fact]
    public void Finds_media_skips_junk_and_writes_the_catalog()
    {
        using var t = new TempFolder();
        t.File("a.jpg"); t.File("sub/b.MOV"); t.File("sub/notes.txt"); t.File(".hidden/c.jpg"); t.File("sub/._b.jpg");
        t.File("@eaDir/thumb.jpg"); t.File(".mediatagger/derivatives/reps/x.jpg");
        var lib = MediaLibrary.Open(t.Path);
        var errors = new List<ItemError>();

        var result = Scan(lib, errors);

        Assert.Empty(errors);
        Assert.Equal(["a.jpg", "sub/b.MOV"], result.Assets.Select(a => a.RelativePath).Order());
        var mov = result.Assets.Single(a => a.Type == MediaType.Video);
        Assert.Equal("mov", mov.Extension);
        Assert.Equal(AssetId.For("sub/b.MOV"), mov.Id);
        Assert.All(result.Assets, a => Assert.Equal(ScanState.New, a.ScanState));
        Assert.True(File.Exists(lib.AssetsFile));
        Assert.Equal(2, AssetCatalog.Load(lib).Count);
    }

    [Fact]
    public void Rescan_reports_changed_new_and_gone_and_keeps_unchanged_records()
    {
        using var t = new TempFolder();
        var keep = t.File("keep.jpg"); var change = t.File("change.jpg"); var gone = t.File("gone.png");
        var lib = MediaLibrary.Open(t.Path);
        var errors = new List<ItemError>();
        Scan(lib, errors);
        var stamp = File.GetLastWriteTimeUtc(lib.AssetsFile);

        var again = Scan(lib, errors);
        Assert.All(again.Assets, a => Assert.Equal(ScanState.Unchanged, a.ScanState));
        Assert.False(again.CatalogWritten);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(lib.AssetsFile));

        File.WriteAllText(change, "longer content");
        File.Delete(gone);
        t.File("new.webp");
        var third = Scan(lib, errors);

        Assert.Empty(errors);
        Assert.Equal(ScanState.Unchanged, third.Assets.Single(a => a.RelativePath == "keep.jpg").ScanState);
        Assert.Equal(ScanState.Changed, third.Assets.Single(a => a.RelativePath == "change.jpg").ScanState);
        Assert.Equal(ScanState.New, third.Assets.Single(a => a.RelativePath == "new.webp").ScanState);
        Assert.Equal("gone.png", Assert.Single(third.Removed).RelativePath);
        var catalog = AssetCatalog.Load(lib);
        Assert.Equal(3, catalog.Count);
        Assert.True(catalog.TryGetByRelativePath("change.jpg", out var changed));
        Assert.Equal(new FileInfo(change).Length, changed.Length);
    }

    [Fact]
    public void Scanning_a_subfolder_keeps_catalog_entries_elsewhere()
    {
        using var t = new TempFolder();
        t.File("a/1.jpg"); t.File("b/2.jpg");
        var lib = MediaLibrary.Open(t.Path);
        var errors = new List<ItemError>();
        Scan(lib, errors);
        File.Delete(Path.Combine(t.Path, "b/2.jpg"));

        var partial = Scan(lib, errors, null, Path.Combine(t.Path, "a"));

        Assert.Empty(partial.Removed);
        Assert.Equal(2, AssetCatalog.Load(lib).Count);
    }

    [Fact]
    public void Exclude_and_type_filters()
    {
        using var t = new TempFolder();
        t.File("2019/Exports/x.jpg"); t.File("2019/keep.jpg"); t.File("clip.mp4"); t.File("Backup/y.jpg");
        var lib = MediaLibrary.Open(t.Path);
        var errors = new List<ItemError>();

        var result = Scan(lib, errors, new ScanOptions { Exclude = ["2019/Exports", "Backup"], Type = MediaType.Image });

        Assert.Equal(["2019/keep.jpg"], result.Assets.Select(a => a.RelativePath));
        Assert.Equal(2, AssetCatalog.Load(lib).Count); // the video is catalogued even though not emitted
    }

    [Fact]
    public void A_path_outside_the_library_is_one_error()
    {
        using var t = new TempFolder();
        using var other = new TempFolder("o");
        var f = other.File("x.jpg");
        var errors = new List<ItemError>();

        var result = Scan(MediaLibrary.Open(t.Path), errors, null, f);

        Assert.Empty(result.Assets);
        Assert.Equal(ErrorIds.ScanOutsideLibrary, Assert.Single(errors).ErrorId);
    }

    [Fact]
    public void A_corrupt_catalog_is_reported_not_overwritten()
    {
        using var t = new TempFolder();
        t.File("a.jpg");
        var lib = MediaLibrary.Open(t.Path);
        Directory.CreateDirectory(lib.DataPath);
        File.WriteAllText(lib.AssetsFile, "{ not json");

        var ex = Assert.Throws<MediaTaggerException>(() => Scan(lib, []));

        Assert.Equal(ErrorIds.CatalogUnreadable, ex.ErrorId);
        Assert.Equal("{ not json", File.ReadAllText(lib.AssetsFile));
    }

    [Fact]
    public void Cancellation_leaves_the_previous_catalog()
    {
        using var t = new TempFolder();
        for (var i = 0; i < 50; i++) t.File($"d{i}/p.jpg");
        var lib = MediaLibrary.Open(t.Path);
        Scan(lib, []);
        var before = File.ReadAllBytes(lib.AssetsFile);
        t.File("new.jpg");
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => LibraryScanner.Scan(lib, [lib.Root], new ScanOptions(), _ => { }, null, cts.Token));

        Assert.Equal(before, File.ReadAllBytes(lib.AssetsFile));
    }

    [Fact]
    public void A_catalog_written_beside_the_output_holds_every_asset_once_waited_for()
    {
        using var t = new TempFolder();
        for (var i = 0; i < 300; i++) t.File($"d{i % 7}/p{i}.jpg");
        var lib = MediaLibrary.Open(t.Path);

        var result = LibraryScanner.Scan(lib, [lib.Root], new ScanOptions { WriteCatalogInBackground = true }, _ => { });
        var emitted = result.Assets.Select(a => a.RelativePath).ToList();
        result.WaitForCatalog();

        Assert.Equal(300, emitted.Count);
        Assert.True(result.CatalogCreated);
        var catalog = AssetCatalog.Load(lib);
        Assert.Equal(emitted.Order(StringComparer.Ordinal), catalog.Assets.Select(a => a.RelativePath).Order(StringComparer.Ordinal));
        Assert.All(result.Assets, a => Assert.Equal(ScanState.New, a.ScanState));
    }
}
