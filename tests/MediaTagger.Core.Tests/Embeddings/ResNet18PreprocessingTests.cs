using ImageMagick;
using ImageMagick.Formats;
using MediaTagger.Core.Library;
using MediaTagger.Core.Models;
using MediaTagger.Core.Reps;
using Xunit.Abstractions;

namespace MediaTagger.Core.Tests.Embeddings;

/// <summary>
/// The built-in ResNet18 resizes with PillowResize's bilinear instead of ImageMagick's Triangle resize (same filter,
/// other rounding; ImageMagick's cost more than all the rest of the preprocessing). Vectors already in users' stores
/// were made the ImageMagick way and new ones must still match them: this computes the old path here, on every real
/// photo and on the reps New-MediaRep makes of them, and bounds the difference.
/// </summary>
public class ResNet18PreprocessingTests(ITestOutputHelper output)
{
    /// <summary>The documented tolerance: pixels at most two 8-bit steps apart, vectors at cosine 0.999 or more.</summary>
    const int MaxPixelSteps = 2;
    const double MinCosine = 0.999;

    [Fact]
    public void Vectors_match_those_of_ImageMagicks_own_resize_within_the_tolerance()
    {
        using var tmp = new TempFolder("resnetprep");
        var photos = TestImages.AllPhotos();
        var images = photos.Concat(photos.Select((p, i) => RenderRep(p, Path.Combine(tmp.Path, "store" + i)))).ToList();
        using var model = ResNet18Model.Load();
        var ours = model.EmbedImages(images);

        var old = new PreparedImages(images, 3, 224, 224);
        var worstSteps = 0;
        for (var i = 0; i < images.Count; i++)
        {
            var rgb = ImageMagickPath(images[i]);
            for (var p = 0; p < 224 * 224; p++)
                for (var c = 0; c < 3; c++)
                    old.Data[i * old.ImageSize + c * 224 * 224 + p] = rgb[p * 3 + c];
            var mine = model.PrepareImages([images[i]]);
            worstSteps = Math.Max(worstSteps, (int)mine.Data.Zip(old.Slot(i).ToArray(), (a, b) => MathF.Abs(a - b)).Max());
        }
        var before = model.EmbedPrepared(old);
        var cosines = ours.Select((v, i) => (double)VectorMath.Cosine(v, before[i]!)).ToList();
        output.WriteLine($"{images.Count} images: largest pixel difference {worstSteps} steps; cosine min {cosines.Min():F6}, mean {cosines.Average():F6}");
        Assert.True(worstSteps <= MaxPixelSteps, $"a pixel is {worstSteps} steps from ImageMagick's resize");
        Assert.All(cosines.Select((c, i) => (c, i)), x => Assert.True(x.c >= MinCosine, $"{images[x.i]}: cosine {x.c:F6} with the ImageMagick-resized vector"));
        // The bound means something: two different photos are far below it.
        Assert.True(VectorMath.Cosine(ours[0], ours[1]) < 0.95f);
    }

    /// <summary>The path before: ImageMagick decodes with the size hint, resizes with its Triangle filter to rounded sizes, crops the centre.</summary>
    static byte[] ImageMagickPath(string path)
    {
        var settings = new MagickReadSettings();
        settings.SetDefines(new JpegReadDefines { Size = new MagickGeometry(224, 224) });
        using var image = new MagickImage(path, settings);
        image.AutoOrient();
        if (image.ColorSpace is not (ColorSpace.sRGB or ColorSpace.RGB or ColorSpace.Gray)) image.ColorSpace = ColorSpace.sRGB;
        image.FilterType = FilterType.Triangle;
        var scale = 224.0 / Math.Min(image.Width, image.Height);
        var w = Math.Max(224, (int)Math.Round(image.Width * scale));
        var h = Math.Max(224, (int)Math.Round(image.Height * scale));
        if (w != image.Width || h != image.Height) image.Resize(new MagickGeometry((uint)w, (uint)h) { IgnoreAspectRatio = true });
        image.Crop(new MagickGeometry((w - 224) / 2, (h - 224) / 2, 224, 224));
        image.ResetPage();
        using var pixels = image.GetPixelsUnsafe();
        return pixels.ToByteArray(PixelMapping.RGB)!;
    }

    static string RenderRep(string photo, string store)
    {
        var asset = new MediaAsset { Id = AssetId.For(Path.GetFileName(photo)), Path = photo, Type = MediaType.Image, StorePath = store };
        var rep = new RepRenderer().Render(asset);
        Assert.False(rep.Failed, rep.Error);
        return rep.FramePaths(asset)[0];
    }
}
