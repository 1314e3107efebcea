using ImageMagick;
using MediaTagger.Core.Faces;
using MediaTagger.Core.Library;
using MediaTagger.Core.Reps;
using Xunit.Abstractions;

namespace MediaTagger.Core.Tests.Faces;

/// <summary>
/// Clustering quality on real faces with known identities: the 23 faces of the demo photos and the astronaut, each
/// seen in four versions of its photo (as it is, 70% size, darker, JPEG quality 20 at 85% size): 23 people × 4.
/// </summary>
public class FaceClusteringTests(ITestOutputHelper output)
{
    [Fact]
    public void Clusters_real_faces_by_person_with_measured_precision_and_recall()
    {
        using var tmp = new TempFolder("fclust");
        var analyzer = new FaceAnalyzer(NpmFixtures.Models);
        var lib = MediaLibrary.Open(tmp.Path);
        var faces = new List<MediaFace>();
        var labels = new List<string>();
        var variants = new (string Name, Action<MagickImage> Change)[]
        {
            ("as-is", _ => { }),
            ("small", i => i.Resize(new Percentage(70))),
            ("dark", i => i.Modulate(new Percentage(60))),
            ("jpeg", i => { i.Resize(new Percentage(85)); i.Quality = 20; }),
        };
        foreach (var photo in FaceConversionFidelityTests.Photos())
        {
            List<(float X, float Y)>? originals = null;
            foreach (var (name, change) in variants)
            {
                using var image = new MagickImage(photo);
                change(image);
                var file = Path.Combine(tmp.Path, $"{Path.GetFileNameWithoutExtension(photo)}-{name}.jpg");
                image.Write(file, MagickFormat.Jpeg);
                var picture = ImageRep.DecodePixels(file, 1600);
                var found = analyzer.Analyze(picture);
                // Face centres as fractions of the picture: the same in every version of it.
                var centres = found.Select(f => (X: (f.Detection.X + f.Detection.Width / 2) / picture.Width, Y: (f.Detection.Y + f.Detection.Height / 2) / picture.Height)).ToList();
                originals ??= centres;
                var asset = MediaAsset.Create(lib, file, MediaType.Image, 1, DateTime.UtcNow);
                for (var i = 0; i < found.Count; i++)
                {
                    // The person: the original face whose centre (rescaled) is nearest.
                    var c = centres[i];
                    var nearest = originals.OrderBy(o => Math.Abs(o.X - c.X) + Math.Abs(o.Y - c.Y)).First();
                    labels.Add($"{Path.GetFileName(photo)}#{originals.IndexOf(nearest)}");
                    faces.Add(new MediaFace(asset, i, StoredFace.From(found[i], picture.Width, picture.Height, null), null));
                }
            }
        }

        var sameScores = new List<float>();
        var otherScores = new List<float>();
        for (var i = 0; i < faces.Count; i++)
        for (var j = i + 1; j < faces.Count; j++)
            (labels[i] == labels[j] ? sameScores : otherScores).Add(Models.VectorMath.Cosine(faces[i].Vector, faces[j].Vector));
        output.WriteLine($"same person: min {sameScores.Min():0.000} mean {sameScores.Average():0.000}; different: max {otherScores.Max():0.000} mean {otherScores.Average():0.000}, 99th pct {otherScores.Order().ElementAt(otherScores.Count * 99 / 100):0.000}");
        foreach (var t in new[] { 0.55, 0.6, 0.65, 0.7, 0.75, 0.8 })
        {
            var (p, r, n) = Quality(faces, labels, t);
            output.WriteLine($"threshold {t:0.00}: pairs same-person above {sameScores.Count(s => s >= t) / (double)sameScores.Count:0.000}, different above {otherScores.Count(s => s >= t) / (double)otherScores.Count:0.0000}; clustering {n} clusters, precision {p:0.000}, recall {r:0.000}");
        }
        var (precision, recall, count) = Quality(faces, labels, FaceClustering.DefaultThreshold);
        output.WriteLine($"{faces.Count} faces of {labels.Distinct().Count()} people -> {count} clusters; pairwise precision {precision:0.000}, recall {recall:0.000} (threshold {FaceClustering.DefaultThreshold})");
        Assert.True(precision >= 0.95, $"precision {precision:0.000}");
        // Clustering per connected component is exactly average linkage on the whole matrix, at any threshold.
        var vectors = faces.Select(f => f.Vector).ToList();
        static string Partition(IEnumerable<int[]> groups) => string.Join(" ", groups.Select(g => string.Join(",", g.Order())).Order(StringComparer.Ordinal));
        foreach (var t in new[] { 0.5, 0.6, 0.7, 0.8 })
            Assert.Equal(Partition(FaceClustering.AverageLinkage(vectors, Enumerable.Range(0, vectors.Count).ToArray(), t)), Partition(FaceClustering.Groups(vectors, t)));
        Assert.True(recall >= 0.8, $"recall {recall:0.000}");
    }

    static (double Precision, double Recall, int Clusters) Quality(List<MediaFace> faces, List<string> labels, double threshold)
    {
        var clusters = FaceClustering.Cluster(faces, threshold, minSize: 1);
        var clusterOf = new Dictionary<MediaFace, int>();
        foreach (var c in clusters) foreach (var f in c.Faces) clusterOf[f] = c.Id;
        long tp = 0, fp = 0, fn = 0;
        for (var i = 0; i < faces.Count; i++)
        for (var j = i + 1; j < faces.Count; j++)
        {
            var same = labels[i] == labels[j];
            var together = clusterOf[faces[i]] == clusterOf[faces[j]];
            if (same && together) tp++;
            else if (together) fp++;
            else if (same) fn++;
        }
        return (tp / (double)(tp + fp), tp / (double)(tp + fn), clusters.Count);
    }
}
