using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using MediaTagger.Core.Library;
using MediaTagger.Core.Models;
using MediaTagger.Core.Reps;
using Xunit.Abstractions;

namespace MediaTagger.Core.Tests.Embeddings;

/// <summary>
/// Our CLIP preprocessing against the reference recipe (Hugging Face CLIPImageProcessor: Pillow bicubic resize of the
/// shortest edge, 8-bit rounding, floor centre crop, rescale, normalise), computed independently by clip_reference.py
/// with Debian's python3-pil and python3-numpy, on every real photo the tests use and on the reps New-MediaRep makes of them.
/// </summary>
public class ClipPreprocessingReferenceTests(ITestOutputHelper output)
{
    const string Python = "/usr/bin/python3"; // Debian's, where python3-pil and python3-numpy are installed (not a pyenv shim)

    [Fact]
    public void Our_tensor_matches_the_Pillow_reference_on_every_real_photo_and_its_rep()
    {
        using var tmp = new TempFolder("clipref");
        var photos = TestImages.AllPhotos();
        var reps = photos.Select((p, i) => RenderRep(p, Path.Combine(tmp.Path, "store" + i))).ToList();
        var images = photos.Concat(reps).ToList();
        var prep = ImagePreprocessing.Clip();
        var reference = Reference(images, prep, Path.Combine(tmp.Path, "ref"));
        var plane = 3 * prep.Width * prep.Height;
        var ours = new float[plane];
        var old = new float[plane];
        var legacy = prep with { Resampler = Resampler.ImageMagick }; // the 0.1 path's decode and sizes: JPEG size hint, rounded sizes
        var cosines = new List<double>();
        var legacyCosines = new List<double>();
        var maxDiff = 0f;
        for (var i = 0; i < images.Count; i++)
        {
            prep.Fill(images[i], ours);
            legacy.Fill(images[i], old);
            var cos = Cosine(ours, reference[i]);
            cosines.Add(cos);
            legacyCosines.Add(Cosine(old, reference[i]));
            // One 8-bit step after normalisation is 1/255/std ≈ 0.015: the largest difference says how many steps we are off.
            maxDiff = Math.Max(maxDiff, ours.Zip(reference[i], (a, b) => MathF.Abs(a - b)).Max());
            Assert.True(cos >= 0.999, $"{images[i]}: cosine {cos:F5} with the reference");
        }
        output.WriteLine(FormattableString.Invariant(
            $"{images.Count} images ({photos.Count} photos + their reps): cosine min {cosines.Min():F6} mean {cosines.Average():F6}, max |diff| {maxDiff:F4}; 0.1's ImageMagick path: min {legacyCosines.Min():F6} mean {legacyCosines.Average():F6}"));
    }

    [Fact]
    public void Sizes_follow_Hugging_Face_the_long_side_truncated_and_the_crop_offset_floored()
    {
        var prep = ImagePreprocessing.Clip();
        // 224 * 1919 / 1080 = 398.02 -> 398; 224 * 641 / 479 = 299.76 -> 299 (Math.Round would give 300).
        Assert.Equal((398, 224), prep.ResizedSize(1919, 1080));
        Assert.Equal((299, 224), prep.ResizedSize(641, 479));
        Assert.Equal((224, 299), prep.ResizedSize(479, 641));
        Assert.Equal((224, 224), prep.ResizedSize(500, 500));
    }

    static string RenderRep(string photo, string store)
    {
        var asset = new MediaAsset { Id = AssetId.For(Path.GetFileName(photo)), Path = photo, Type = MediaType.Image, StorePath = store };
        var rep = new RepRenderer().Render(asset);
        Assert.False(rep.Failed, rep.Error);
        return rep.FramePaths(asset)[0];
    }

    static List<float[]> Reference(List<string> images, ImagePreprocessing prep, string folder)
    {
        Assert.True(File.Exists(Python), "Debian's python3 is missing: apt-get install python3-pil python3-numpy (build.ps1 Test installs them).");
        Directory.CreateDirectory(folder);
        static string Join(float[] v) => string.Join(",", v.Select(x => x.ToString("R", CultureInfo.InvariantCulture)));
        var psi = new ProcessStartInfo(Python) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "Embeddings", "clip_reference.py"), folder, prep.ResizeTo.ToString(CultureInfo.InvariantCulture),
                     prep.Width.ToString(CultureInfo.InvariantCulture), ((int)prep.Filter).ToString(CultureInfo.InvariantCulture), Join(prep.Mean), Join(prep.Std) }.Concat(images))
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"clip_reference.py failed: {stderr.Result}");
        return images.Select((_, i) => MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(folder, $"{i}.f32"))).ToArray()).ToList();
    }

    static double Cosine(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++) { dot += a[i] * (double)b[i]; na += a[i] * (double)a[i]; nb += b[i] * (double)b[i]; }
        return dot / Math.Sqrt(na * nb);
    }
}
