using ImageMagick;
using ImageMagick.Drawing;
using MediaTagger.Core.Common;
using MediaTagger.Core.Reps;
using MediaTagger.Core.Tests.Embeddings;
using Xunit.Abstractions;

namespace MediaTagger.Core.Tests.Reps;

/// <summary>
/// Large plain PNGs are box-reduced while they are inflated instead of going through ImageMagick at full size. The
/// reduced picture must be what ImageMagick's own area average gives (real wallpapers, RGB and RGBA), transparency
/// flattened on white as before, and every PNG this path does not handle, or that is damaged, must still go through
/// ImageMagick with the same result or error as before.
/// </summary>
public class PngShrinkTests(ITestOutputHelper output)
{
    [Fact]
    public void Real_PNG_wallpapers_reduce_to_ImageMagicks_area_average()
    {
        var pngs = TestImages.AllPhotos().Where(p => p.EndsWith(".png", StringComparison.Ordinal) && p.StartsWith("/usr/share/wallpapers", StringComparison.Ordinal)).ToList();
        Assert.True(pngs.Count >= 5, "plasma-workspace-wallpapers (with its PNG wallpapers) is missing");
        var checkedCount = 0;
        foreach (var png in pngs)
        {
            var ours = PngShrink.TryDecode(File.ReadAllBytes(png), 512);
            using var reference = new MagickImage(png);
            if (Math.Max(reference.Width, reference.Height) < 1024) { Assert.Null(ours); continue; }
            if (reference.GetColorProfile() is not null) { Assert.Null(ours); continue; } // a colour profile: ImageMagick's path
            Assert.NotNull(ours);
            var k = (int)(Math.Max(reference.Width, reference.Height) / 512);
            Assert.Equal(((int)reference.Width + k - 1) / k, ours!.Width);
            Assert.Equal(((int)reference.Height + k - 1) / k, ours.Height);
            if (reference.HasAlpha)
            {
                reference.BackgroundColor = MagickColors.White;
                reference.Alpha(AlphaAction.Remove);
            }
            reference.Scale(new MagickGeometry((uint)ours.Width, (uint)ours.Height) { IgnoreAspectRatio = true });
            using var pixels = reference.GetPixelsUnsafe();
            var expected = pixels.ToByteArray(PixelMapping.RGB)!;
            var mean = expected.Zip(ours.Data, (a, b) => Math.Abs(a - b)).Average();
            output.WriteLine($"{png}: {reference.Width}x{reference.Height} -> {ours.Width}x{ours.Height} (k {k}), mean |diff| {mean:F3}");
            // Whole-factor blocks are the same average (rounding apart); a partial edge block shifts ImageMagick's grid slightly.
            Assert.True(mean < (reference.Width % k == 0 && reference.Height % k == 0 ? 0.6 : 2.5), $"{png}: mean difference {mean:F3} from ImageMagick's area average");
            checkedCount++;
        }
        Assert.True(checkedCount >= 5, $"only {checkedCount} large PNG wallpapers took the reduced path");
    }

    [Fact]
    public void Transparent_and_grey_PNGs_come_out_flattened_on_white_and_in_colour_order()
    {
        using var tmp = new TempFolder("pngshrink");
        // Left third opaque red, middle third half-transparent blue, right third fully transparent black.
        using (var image = new MagickImage(MagickColors.Transparent, 1500, 600))
        {
            new Drawables().FillColor(new MagickColor(255, 0, 0, 255)).Rectangle(0, 0, 499, 599)
                .FillColor(new MagickColor(0, 0, 255, 128)).Rectangle(500, 0, 999, 599).Draw(image);
            image.Write(Path.Combine(tmp.Path, "alpha.png"), MagickFormat.Png32);
        }
        var rgba = PngShrink.TryDecode(File.ReadAllBytes(Path.Combine(tmp.Path, "alpha.png")), 512)!;
        Assert.Equal((750, 300), (rgba.Width, rgba.Height));
        Assert.Equal(new byte[] { 255, 0, 0 }, Pixel(rgba, 100, 150));
        Assert.Equal(new byte[] { 255, 255, 255 }, Pixel(rgba, 700, 150));
        var blend = Pixel(rgba, 375, 150);
        Assert.InRange(blend[0], 125, 129); // half blue over white: (127, 127, 255)
        Assert.Equal(255, blend[2]);
        var rep = ImageRep.DecodePixels(Path.Combine(tmp.Path, "alpha.png"), 512);
        Assert.Equal((512, 205), (rep.Width, rep.Height));
        Assert.True(Pixel(rep, 500, 100).All(v => v > 250), "the transparent part is white in the rep");

        using (var grey = new MagickImage(Path.Combine(tmp.Path, "alpha.png")))
        {
            grey.Alpha(AlphaAction.Off);
            grey.ColorType = ColorType.Grayscale;
            grey.Settings.SetDefine(MagickFormat.Png, "color-type", "0");
            grey.Settings.SetDefine(MagickFormat.Png, "bit-depth", "8");
            grey.Write(Path.Combine(tmp.Path, "grey.png"), MagickFormat.Png);
        }
        Assert.NotNull(PngShrink.TryDecode(File.ReadAllBytes(Path.Combine(tmp.Path, "grey.png")), 512));
        var fromGrey = ImageRep.DecodePixels(Path.Combine(tmp.Path, "grey.png"), 512);
        var p = Pixel(fromGrey, 50, 100);
        Assert.True(p[0] == p[1] && p[1] == p[2], "a grey picture stays grey in RGB");
    }

    [Fact]
    public void PNGs_it_does_not_handle_or_that_are_damaged_go_through_ImageMagick_as_before()
    {
        using var tmp = new TempFolder("pngshrink-other");
        var photo = TestImages.Photos(1)[0];
        void Write(string name, Action<MagickImage> change, MagickFormat format = MagickFormat.Png24)
        {
            using var image = new MagickImage(photo);
            image.Resize(new MagickGeometry(1600, 1000) { IgnoreAspectRatio = true });
            change(image);
            image.Write(Path.Combine(tmp.Path, name), format);
        }
        Write("interlaced.png", i => i.Settings.Interlace = Interlace.Png);
        Write("deep.png", i => i.Depth = 16, MagickFormat.Png48);
        Write("palette.png", i => i.Quantize(new QuantizeSettings { Colors = 200 }), MagickFormat.Png8);
        Write("plain.png", _ => { });
        foreach (var name in new[] { "interlaced.png", "deep.png", "palette.png" })
        {
            Assert.Null(PngShrink.TryDecode(File.ReadAllBytes(Path.Combine(tmp.Path, name)), 512));
            var rep = ImageRep.DecodePixels(Path.Combine(tmp.Path, name), 512);
            Assert.Equal((512, 320), (rep.Width, rep.Height));
        }
        var plain = ImageRep.DecodePixels(Path.Combine(tmp.Path, "plain.png"), 512);
        Assert.Equal((512, 320), (plain.Width, plain.Height));

        // Damaged compressed data in a large plain PNG (chunk CRC left stale): not rendered, reported as ImageMagick reports it.
        var bytes = File.ReadAllBytes(Path.Combine(tmp.Path, "plain.png"));
        var idat = bytes.AsSpan().IndexOf("IDAT"u8);
        for (var i = idat + 200; i < idat + 400; i++) bytes[i] ^= 0x5a;
        File.WriteAllBytes(Path.Combine(tmp.Path, "damaged.png"), bytes);
        Assert.Null(PngShrink.TryDecode(bytes, 512));
        var ex = Assert.Throws<MediaTaggerException>(() => ImageRep.Render(Path.Combine(tmp.Path, "damaged.png"), new MemoryStream()));
        Assert.Equal(ErrorIds.RepDecodeFailed, ex.ErrorId);
        // Cut short: the same.
        File.WriteAllBytes(Path.Combine(tmp.Path, "short.png"), File.ReadAllBytes(Path.Combine(tmp.Path, "plain.png"))[..(bytes.Length / 2)]);
        Assert.Null(PngShrink.TryDecode(File.ReadAllBytes(Path.Combine(tmp.Path, "short.png")), 512));
        Assert.Equal(ErrorIds.RepDecodeFailed, Assert.Throws<MediaTaggerException>(() => ImageRep.Render(Path.Combine(tmp.Path, "short.png"), new MemoryStream())).ErrorId);
    }

    static byte[] Pixel(RgbPixels p, int x, int y) => p.Data.AsSpan((y * p.Width + x) * 3, 3).ToArray();
}
