// Compiled by bench-quality.ps1 and New-FeatureStatistics.ps1 against the built module (MediaTagger.Core, Magick.NET).
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ImageMagick;
using MediaTagger.Core.Models;
using MediaTagger.Core.Search;

public static class QualityBench
{
    public static readonly string[] Variants = { "downscaled", "quality15", "brighter", "cropped", "mirrored", "rotated", "exifrotated" };

    /// <summary>Writes g&lt;n&gt;/original.jpg (long edge 1280) and its seven variants for each photo; returns the group folders.</summary>
    public static string[] MakeLibrary(string root, string[] photos)
    {
        var groups = new List<string>();
        for (var g = 0; g < photos.Length; g++)
        {
            var dir = Path.Combine(root, $"g{g:D2}");
            Directory.CreateDirectory(dir);
            using var original = new MagickImage(photos[g]);
            original.AutoOrient();
            original.ColorSpace = ColorSpace.sRGB;
            original.Alpha(AlphaAction.Remove);
            if (Math.Max(original.Width, original.Height) > 1280) original.Resize(1280, 1280);
            Save(original, dir, "original", 92);
            using (var v = Clone(original)) { v.Resize(400, 400); Save(v, dir, "downscaled", 92); }
            using (var v = Clone(original)) Save(v, dir, "quality15", 15);
            using (var v = Clone(original)) { v.Evaluate(Channels.RGB, EvaluateOperator.Multiply, 1.3); Save(v, dir, "brighter", 92); }
            using (var v = Clone(original))
            {
                uint w = (uint)(v.Width * 0.7), h = (uint)(v.Height * 0.7);
                v.Crop(new MagickGeometry((int)(v.Width - w) / 2, (int)(v.Height - h) / 2, w, h));
                v.ResetPage();
                Save(v, dir, "cropped", 92);
            }
            using (var v = Clone(original)) { v.Flop(); Save(v, dir, "mirrored", 92); }
            using (var v = Clone(original)) { v.Rotate(90); Save(v, dir, "rotated", 92); }
            using (var v = Clone(original))
            {
                // Pixels stored turned 90° counter-clockwise, with the EXIF flag (6, "rotate 90° clockwise to view") that puts them upright.
                v.Rotate(270);
                var exif = new ExifProfile();
                exif.SetValue(ExifTag.Orientation, (ushort)6);
                v.SetProfile(exif);
                v.Orientation = Orientation.RightTop;
                Save(v, dir, "exifrotated", 92);
            }
            groups.Add(dir);
        }
        return groups.ToArray();
    }

    static MagickImage Clone(MagickImage image) => (MagickImage)image.Clone();

    static void Save(MagickImage image, string dir, string name, uint quality)
    {
        image.Quality = quality;
        image.Write(Path.Combine(dir, name + ".jpg"), MagickFormat.Jpeg);
    }

    /// <summary>The ranks (1 = best, the anchor itself left out) of every other row for one query.</summary>
    public static Dictionary<int, Ranked> Rank(ResidentStore store, IReadOnlyList<float[]> positives, float[] mean, int anchorGroup)
    {
        var hits = SimilarityScan.TopK(store, new ScanRequest { Positives = positives, K = store.GroupCount, MinScore = float.NegativeInfinity, Mean = mean });
        var ranks = new Dictionary<int, Ranked>();
        foreach (var h in hits)
            if (h.Group != anchorGroup) ranks[h.Group] = new Ranked { Rank = ranks.Count + 1, Score = h.Score };
        return ranks;
    }

    public sealed class Ranked
    {
        public int Rank;
        public float Score;
    }

    /// <summary>Average precision of one query whose relevant items have the given ranks.</summary>
    public static double AveragePrecision(IEnumerable<int> relevantRanks)
    {
        var sorted = relevantRanks.OrderBy(r => r).ToArray();
        return sorted.Select((r, i) => (i + 1.0) / r).Sum() / sorted.Length;
    }

    /// <summary>Views of a rep (mirror, rotations) embedded the way a query embeds them.</summary>
    public static float[][] Views(IEmbeddingModel model, string rep, AnchorViews views) =>
        AnchorEmbedder.EmbedViews(model, new[] { rep }, AnchorViewSets.Of(views).Where(v => v != AnchorView.Original).ToList(), default).Select(v => v.Vector).ToArray();

    public static string RepOf(MediaTagger.Core.Library.MediaAsset asset) => MediaTagger.Core.Reps.RepIndex.FramePathsOf(asset)[0];

    public static float[] FirstRow(ResidentStore store, int group) => store.Row(store.RowsOf(group).First).ToArray();

    public static float[] Mean(ResidentStore store)
    {
        var rows = new List<float[]>();
        for (var r = 0; r < store.RowCount; r++) rows.Add(store.Row(r).ToArray());
        return FeatureStatistics.Compute("", "", rows).Mean;
    }

    /// <summary>
    /// The threshold on the new scale that lets through the same share of unrelated pictures as <paramref name="old"/>
    /// did on the old one, and that share.
    /// </summary>
    public static double[] EquivalentThreshold(double[] before, double[] after, double old)
    {
        var share = before.Count(s => s >= old) / (double)before.Length;
        var sorted = after.OrderByDescending(s => s).ToArray();
        var index = Math.Clamp((int)Math.Round(share * sorted.Length) - 1, 0, sorted.Length - 1);
        return new[] { sorted[index], share };
    }

    public static double Median(IEnumerable<int> values)
    {
        var s = values.OrderBy(v => v).ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2.0;
    }
}
