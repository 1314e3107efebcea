using MediaTagger.Core.Common;
using MediaTagger.Core.Faces;
using MediaTagger.Core.Library;

namespace MediaTagger.Core.Tests.Faces;

/// <summary>The face stage on a real library: resumable after Ctrl+C, and per-file errors do not stop the batch.</summary>
public class FaceIndexerTests
{
    static List<MediaAsset> Library(TempFolder t, int copies, out MediaLibrary lib)
    {
        lib = MediaLibrary.Open(t.Path);
        for (var i = 0; i < copies; i++) File.Copy("/usr/lib/python3/dist-packages/skimage/data/astronaut.png", Path.Combine(t.Path, $"a{i}.png"));
        File.WriteAllBytes(Path.Combine(t.Path, "broken.jpg"), [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]);
        LibraryScanner.Scan(lib, [t.Path], new ScanOptions(), _ => { });
        return AssetCatalog.Load(lib).Assets.OrderBy(a => a.RelativePath, StringComparer.Ordinal).ToList();
    }

    [Fact]
    public void A_stopped_run_keeps_what_finished_and_the_next_run_does_only_the_rest()
    {
        using var t = new TempFolder("findex");
        var assets = Library(t, 6, out var lib);
        using var stop = new CancellationTokenSource();
        var first = new List<FaceScanResult>();
        var errors = new List<ItemError>();
        // Ctrl+C as soon as two files are done.
        Assert.ThrowsAny<OperationCanceledException>(() => new FaceIndexer(NpmFixtures.Models, workers: 1).Run(assets,
            r => { lock (first) { first.Add(r); if (first.Count == 2) stop.Cancel(); } }, errors.Add, stop.Token));

        var kept = FaceStore.Open(lib).Records;
        Assert.Equal(first.Select(r => r.Asset.Id).Order(), kept.Keys.Order());

        var second = new List<FaceScanResult>();
        errors.Clear();
        new FaceIndexer(NpmFixtures.Models).Run(assets, r => { lock (second) second.Add(r); }, e => { lock (errors) errors.Add(e); }, CancellationToken.None);
        Assert.Equal(first.Count, second.Count(r => r.Status == FaceScanStatus.Current));
        Assert.Equal(6, second.Count);
        Assert.All(second, r => Assert.Equal(1, r.Faces));
        // The file that is not a picture is one error; the batch went on.
        Assert.Equal("broken.jpg", Path.GetFileName(Assert.Single(errors).Target?.ToString()));
        Assert.Equal(6, FaceStore.Open(lib).Records.Count);
        Assert.Empty(Directory.EnumerateFiles(FaceStore.FolderOf(lib), "*.tmp"));
    }
}

/// <summary>Names survive re-analysis of a changed file when the face is found again in the same place and looks the same.</summary>
public class FaceNameCarryTests
{
    [Fact]
    public void A_changed_file_analysed_again_keeps_its_names_and_a_different_picture_does_not_inherit_them()
    {
        using var t = new TempFolder("fcarry2");
        var lib = MediaLibrary.Open(t.Path);
        var photo = Path.Combine(t.Path, "astronaut.jpg");
        using (var image = new ImageMagick.MagickImage("/usr/lib/python3/dist-packages/skimage/data/astronaut.png")) image.Write(photo, ImageMagick.MagickFormat.Jpeg);
        List<MediaAsset> Scan()
        {
            LibraryScanner.Scan(lib, [t.Path], new ScanOptions(), _ => { });
            return AssetCatalog.Load(lib).Assets.ToList();
        }
        void Index(IEnumerable<MediaAsset> assets, bool force = false) =>
            new FaceIndexer(NpmFixtures.Models, force: force).Run(assets, _ => { }, e => Assert.Fail(e.Message), CancellationToken.None);

        Index(Scan());
        var face = Assert.Single(FaceLibrary.Open(lib).Faces);
        FaceLibrary.Open(lib).SetNames([face.FaceId], "Eileen");

        // Edited: brighter and re-saved (new size and time): analysed again, the face keeps its name.
        using (var image = new ImageMagick.MagickImage(photo))
        {
            image.Modulate(new ImageMagick.Percentage(115));
            image.Write(photo, ImageMagick.MagickFormat.Jpeg);
        }
        File.SetLastWriteTimeUtc(photo, DateTime.UtcNow.AddMinutes(1));
        var results = new List<FaceScanResult>();
        new FaceIndexer(NpmFixtures.Models).Run(Scan(), results.Add, e => Assert.Fail(e.Message), CancellationToken.None);
        Assert.Equal(FaceScanStatus.Analyzed, Assert.Single(results).Status);
        Assert.Equal("Eileen", Assert.Single(FaceLibrary.Open(lib).Faces).Name);

        // A new detector run on the same file (-Force) keeps it too.
        Index(Scan(), force: true);
        Assert.Equal("Eileen", Assert.Single(FaceLibrary.Open(lib).Faces).Name);

        // Replaced by a photo of other people: none of its faces is Eileen.
        File.Copy(FaceConversionFidelityTests.Photos().First(), photo, overwrite: true);
        File.SetLastWriteTimeUtc(photo, DateTime.UtcNow.AddMinutes(2));
        Index(Scan());
        var faces = FaceLibrary.Open(lib).Faces;
        Assert.True(faces.Count > 1);
        Assert.All(faces, f => Assert.Null(f.Name));
    }
}
