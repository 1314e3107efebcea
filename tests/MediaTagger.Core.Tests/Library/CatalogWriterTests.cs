using System.Text.Json;
using MediaTagger.Core.Library;

namespace MediaTagger.Core.Tests.Library;

public class CatalogWriterTests
{
    /// <summary>Assets with the names a real library holds: spaces, quotes, backslashes, accents, emoji, control characters.</summary>
    static List<MediaAsset> Assets(MediaLibrary lib, int count)
    {
        string[] odd = ["plain", "with space", "quote\"d", "back\\slash", "Zoë Café", "☕ emoji 🐶", "tab\tand\u0001ctl", "<html>&amp;"];
        var random = new Random(16);
        return Enumerable.Range(0, count).Select(i =>
        {
            var rel = $"{odd[i % odd.Length]}/{random.Next():x8}-{i}.{(i % 3 == 0 ? "MOV" : "jpg")}";
            return MediaAsset.Create(lib, lib.FullPathOf(rel), rel, i % 3 == 0 ? MediaType.Video : MediaType.Image, random.NextInt64(0, long.MaxValue),
                new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(random.NextInt64(0, 900_000_000_000_000_000)));
        }).ToList();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5000)]   // above the size where the sort and the serialisation are split across threads
    [InlineData(20011)]
    public void Writes_the_same_bytes_as_the_catalog_serializer_sorted_by_path(int count)
    {
        using var t = new TempFolder();
        var lib = MediaLibrary.Open(t.Path);
        var assets = Assets(lib, count);

        CatalogWriter.Write(lib.AssetsFile, assets);

        var sorted = assets.OrderBy(a => a.RelativePath, StringComparer.Ordinal).ToList();
        var expected = JsonSerializer.SerializeToUtf8Bytes(sorted, CatalogJson.Default.ListMediaAsset);
        Assert.Equal(expected, File.ReadAllBytes(lib.AssetsFile));
        var read = AssetCatalog.Load(lib);
        Assert.Equal(count, read.Count);
        foreach (var a in assets)
        {
            Assert.True(read.TryGetByRelativePath(a.RelativePath, out var back));
            Assert.Equal(a, back);
        }
    }

    [Fact]
    public void A_catalog_write_that_died_half_way_leaves_the_previous_catalog_and_the_next_write_removes_its_debris()
    {
        using var t = new TempFolder();
        for (var i = 0; i < 30; i++) t.File($"d{i % 3}/p{i}.jpg");
        var lib = MediaLibrary.Open(t.Path);
        LibraryScanner.Scan(lib, [lib.Root], new ScanOptions(), _ => { });
        var before = File.ReadAllBytes(lib.AssetsFile);

        // What a crash (or kill -9) in the middle of a catalog write leaves: a half-written temp file of a process that is gone.
        var debris = Path.Combine(lib.DataPath, $".assets.json.mt{Common.AtomicFile.HostTag}-999999999.0badf00d.tmp");
        File.WriteAllBytes(debris, before.AsSpan(0, before.Length / 2).ToArray());

        Assert.Equal(30, AssetCatalog.Load(lib).Count);
        t.File("d0/new.jpg");
        var next = LibraryScanner.Scan(lib, [lib.Root], new ScanOptions(), _ => { });

        Assert.True(next.CatalogWritten);
        Assert.Equal(31, AssetCatalog.Load(lib).Count);
        Assert.False(File.Exists(debris));
    }
}
