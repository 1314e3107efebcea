using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Reps;

namespace MediaTagger.Core.Tests.Reps;

public class ImageRepTests
{
    static string? Photo() => Directory.Exists("/usr/share/wallpapers")
        ? Directory.GetFiles("/usr/share/wallpapers", "*.jpg", SearchOption.AllDirectories).Order().FirstOrDefault()
        : null;

    [Fact]
    public void Renders_a_photo_outside_any_library_to_a_jpeg_of_the_given_size()
    {
        var photo = Photo();
        Assert.NotNull(photo); // plasma-workspace-wallpapers, installed by build.ps1 Test
        using var t = new TempFolder("rep");
        var size = ImageRep.Render(photo!, Path.Combine(t.Path, "anchor.jpg"), 224);
        Assert.Equal(224, Math.Max(size.Width, size.Height));
        var bytes = File.ReadAllBytes(Path.Combine(t.Path, "anchor.jpg"));
        Assert.Equal([0xFF, 0xD8], bytes[..2]);
        Assert.Equal([0xFF, 0xD9], bytes[^2..]);
        Assert.Empty(Directory.GetFiles(t.Path, "*.tmp", new EnumerationOptions { AttributesToSkip = 0 }));
    }

    [Fact]
    public void Reports_an_empty_file_and_a_missing_file_with_stable_ids()
    {
        using var t = new TempFolder("rep");
        var empty = t.File("empty.jpg", "");
        var ex = Assert.Throws<MediaTaggerException>(() => ImageRep.Render(empty, new MemoryStream()));
        Assert.Equal(ErrorIds.RepDecodeFailed, ex.ErrorId);
        var missing = Assert.Throws<MediaTaggerException>(() => ImageRep.Render(Path.Combine(t.Path, "nope.jpg"), new MemoryStream()));
        Assert.Equal(ErrorIds.RepSourceNotFound, missing.ErrorId);
    }

    [Fact]
    public void Renderer_reuses_a_current_rep_and_renders_a_changed_file()
    {
        var photo = Photo();
        Assert.NotNull(photo); // plasma-workspace-wallpapers, installed by build.ps1 Test
        using var t = new TempFolder("rep");
        var file = Path.Combine(t.Path, "p.jpg");
        File.Copy(photo!, file);
        var lib = MediaLibrary.Open(t.Path);
        var asset = MediaAsset.Create(lib, file, MediaType.Image, new FileInfo(file).Length, File.GetLastWriteTimeUtc(file));
        var renderer = new RepRenderer(new RepOptions { Size = 128 });

        var first = renderer.Update(asset);
        Assert.Equal(RepOutcome.Rendered, first.Outcome);
        // The renderer records nothing itself: a piped MediaRep carries its rep to the next run.
        Assert.Equal(RepOutcome.Rendered, renderer.Update(asset).Outcome);
        var rendered = new MediaRep(asset, first.Rep);
        Assert.Equal(RepOutcome.Reused, renderer.Update(rendered).Outcome);
        Assert.Equal(RepOutcome.Rendered, new RepRenderer(new RepOptions { Size = 64 }).Update(rendered).Outcome);

        // Reps are written without fsync: one left empty by a crash counts as missing.
        var again = new MediaRep(asset, renderer.Update(rendered).Rep);
        File.WriteAllBytes(again.RepPath!, []);
        Assert.Equal(RepOutcome.Rendered, renderer.Update(again).Outcome);

        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddHours(-1));
        Assert.Equal(RepOutcome.Rendered, renderer.Update(again).Outcome);
    }
}
