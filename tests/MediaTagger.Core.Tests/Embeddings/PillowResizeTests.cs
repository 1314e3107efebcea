using System.Diagnostics;
using System.Globalization;
using ImageMagick;
using MediaTagger.Core.Models;

namespace MediaTagger.Core.Tests.Embeddings;

/// <summary>
/// PillowResize claims Pillow's Image.resize bit for bit (CLIP models were trained on its pixels): checked against
/// Debian's Pillow itself, on a real photo and on noise (which exposes every rounding), for every filter, shrinking and
/// enlarging, one axis or both; and the cropped window it computes alone must equal the whole resize, cropped.
/// </summary>
public class PillowResizeTests
{
    const string Python = "/usr/bin/python3";

    static readonly (int Width, int Height)[] Sizes = [(224, 140), (91, 333), (480, 300), (160, 300), (350, 77)];

    [Fact]
    public void Every_filter_gives_Pillows_bytes_exactly_on_a_photo_and_on_noise()
    {
        using var tmp = new TempFolder("pillowresize");
        using var photo = new MagickImage(TestImages.Photos(1)[0]);
        photo.Resize(new MagickGeometry(320, 200) { IgnoreAspectRatio = true });
        var sources = new List<(byte[] Rgb, int Width, int Height)> { (RgbOf(photo), 320, 200) };
        var random = new Random(16);
        var noise = new byte[160 * 300 * 3];
        random.NextBytes(noise);
        sources.Add((noise, 160, 300));

        var script = "import sys\nfrom PIL import Image\nsrc, w, h, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]\n" +
                     "im = Image.open(src)\nfor f in range(6):\n    for (nw, nh) in [" + string.Join(", ", Sizes.Select(s => $"({s.Width}, {s.Height})")) + "]:\n" +
                     "        open(f'{out}-{f}-{nw}x{nh}.rgb', 'wb').write(im.resize((nw, nh), resample=f).tobytes())\n";
        for (var i = 0; i < sources.Count; i++)
        {
            var (rgb, width, height) = sources[i];
            var ppm = Path.Combine(tmp.Path, $"src{i}.ppm");
            WritePpm(ppm, rgb, width, height);
            RunPython(script, ppm, width, height, Path.Combine(tmp.Path, $"out{i}"));
            foreach (var filter in Enum.GetValues<PillowFilter>())
                foreach (var (w, h) in Sizes)
                {
                    var expected = File.ReadAllBytes(Path.Combine(tmp.Path, $"out{i}-{(int)filter}-{w}x{h}.rgb"));
                    var ours = PillowResize.Resize(rgb, width, height, w, h, filter);
                    Assert.True(expected.AsSpan().SequenceEqual(ours), $"source {i} ({width}x{height}) -> {w}x{h} {filter}: {Differences(expected, ours)} bytes differ from Pillow");
                }
        }
    }

    [Fact]
    public void A_cropped_window_equals_the_whole_resize_cropped()
    {
        var random = new Random(7);
        var rgb = new byte[300 * 200 * 3];
        random.NextBytes(rgb);
        foreach (var filter in Enum.GetValues<PillowFilter>())
            foreach (var (w, h) in new[] { (336, 224), (224, 149), (300, 120), (150, 200), (300, 200) })
            {
                var whole = PillowResize.Resize(rgb, 300, 200, w, h, filter);
                foreach (var (left, top, cw, ch) in new[] { (0, 0, w, h), ((w - 100) / 2, (h - 100) / 2, 100, 100), (w - 1, h - 1, 1, 1), (3, 0, w - 3, h), (0, 5, w, h - 9) })
                {
                    var window = PillowResize.ResizeCrop(rgb, 300, 200, w, h, filter, left, top, cw, ch);
                    var expected = new byte[cw * ch * 3];
                    for (var y = 0; y < ch; y++) Array.Copy(whole, ((top + y) * w + left) * 3, expected, y * cw * 3, cw * 3);
                    Assert.True(expected.AsSpan().SequenceEqual(window), $"{filter} 300x200 -> {w}x{h}, window {cw}x{ch}+{left}+{top}: {Differences(expected, window)} bytes differ");
                }
            }
        Assert.Throws<ArgumentOutOfRangeException>(() => PillowResize.ResizeCrop(rgb, 300, 200, 224, 224, PillowFilter.Bicubic, 1, 0, 224, 224));
    }

    static byte[] RgbOf(MagickImage image)
    {
        using var pixels = image.GetPixelsUnsafe();
        return pixels.ToByteArray(PixelMapping.RGB)!;
    }

    static void WritePpm(string path, byte[] rgb, int width, int height)
    {
        using var f = File.Create(path);
        f.Write(System.Text.Encoding.ASCII.GetBytes($"P6\n{width} {height}\n255\n"));
        f.Write(rgb);
    }

    static void RunPython(string script, string ppm, int width, int height, string outPrefix)
    {
        Assert.True(File.Exists(Python), "Debian's python3 is missing: apt-get install python3-pil (build.ps1 Test installs it).");
        var psi = new ProcessStartInfo(Python) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-c", script, ppm, width.ToString(CultureInfo.InvariantCulture), height.ToString(CultureInfo.InvariantCulture), outPrefix })
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"Pillow failed: {stderr.Result}");
    }

    static int Differences(byte[] a, byte[] b) => a.Length != b.Length ? Math.Max(a.Length, b.Length) : a.Where((x, i) => x != b[i]).Count();
}
