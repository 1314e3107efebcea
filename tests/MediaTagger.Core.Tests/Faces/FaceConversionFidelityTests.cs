using MediaTagger.Core.Faces;
using MediaTagger.Core.Models;
using MediaTagger.Core.Reps;
using Xunit.Abstractions;

namespace MediaTagger.Core.Tests.Faces;

/// <summary>
/// Each converted model in ONNX Runtime against the original TensorFlow.js model under node, on the same inputs made
/// from real photos: whole pictures and tiles for the detector (compared after BlazeFace's post-processing, in picture
/// pixels), aligned face crops for the embedder (cosine of the two vectors).
/// </summary>
public class FaceConversionFidelityTests(ITestOutputHelper output)
{
    static string ModelJson(string name) => Path.Combine(NpmFixtures.Unpacked(NpmFixtures.HumanModels), "models", name + ".json");

    internal static IEnumerable<string> Photos()
    {
        var demo = Path.Combine(NpmFixtures.Unpacked(NpmFixtures.FaceApi), "demo");
        foreach (var i in Enumerable.Range(1, 6)) yield return Path.Combine(demo, $"sample{i}.jpg");
        yield return "/usr/lib/python3/dist-packages/skimage/data/astronaut.png";
    }

    [Fact]
    public void Detector_boxes_and_landmarks_agree_with_TensorFlow_js_within_a_pixel()
    {
        var models = NpmFixtures.Models;
        const int size = FaceModelFiles.DetectorSize;
        var inputs = new List<float[]>();
        var factors = new List<float>();
        foreach (var photo in Photos())
        {
            var picture = ImageRep.DecodePixels(photo, 1600);
            // The whole picture and the middle tile of the next level: the inputs the detector really sees.
            foreach (var (x, y, side) in FaceDetector.Tiles(picture.Width, picture.Height, 320).Take(3))
            {
                var input = new float[size * size * 3];
                ImageSampler.Sample(picture, ImageSampler.Affine.ScaleTranslate(side / size, x, y), size, input, 0, 127.5f, 127.5f);
                inputs.Add(input);
                factors.Add(side / size);
            }
        }
        var names = new[] { "Identity", "Identity_1", "Identity_2", "Identity_3" };
        var reference = TfjsReference.Run(ModelJson(FaceModelFiles.DetectorSource), inputs, [1, size, size, 3], names);

        var compared = 0;
        var worst = 0f;
        for (var i = 0; i < inputs.Count; i++)
        {
            var (regressors, logits) = models.Detect(inputs[i]);
            // Reference outputs in the anchor order: 512 anchors (stride 16) then 384 (stride 32).
            var refLogits = reference["Identity"][i].Concat(reference["Identity_1"][i]).ToArray();
            var refRegressors = reference["Identity_2"][i].Concat(reference["Identity_3"][i]).ToArray();
            var ours = BlazeFace.Suppress(BlazeFace.Decode(regressors, logits, 0.5f), 0.3f);
            var theirs = BlazeFace.Suppress(BlazeFace.Decode(refRegressors, refLogits, 0.5f), 0.3f);
            Assert.Equal(theirs.Count, ours.Count);
            for (var k = 0; k < ours.Count; k++)
            {
                var (a, b) = (ours[k], theirs[k]);
                var coords = new[] { a.X - b.X, a.Y - b.Y, a.Width - b.Width, a.Height - b.Height }
                    .Concat(a.Landmarks.Zip(b.Landmarks, (p, q) => Math.Max(Math.Abs(p.X - q.X), Math.Abs(p.Y - q.Y))));
                var diff = coords.Max(Math.Abs) * factors[i];
                worst = Math.Max(worst, diff);
                Assert.True(diff < 1f, $"input {i}: box {k} differs by {diff:0.###} picture pixels");
                Assert.InRange(Math.Abs(a.Score - b.Score), 0, 1e-3);
                compared++;
            }
        }
        output.WriteLine($"detector: {inputs.Count} inputs, {compared} faces compared, worst difference {worst:0.####} picture pixels");
        Assert.True(compared >= 20, $"only {compared} faces were compared");
    }

    [Fact]
    public void Embeddings_agree_with_TensorFlow_js_to_cosine_0_9999_on_real_face_crops()
    {
        var models = NpmFixtures.Models;
        var analyzer = new FaceAnalyzer(models);
        const int size = FaceModelFiles.EmbedderSize * FaceModelFiles.EmbedderSize * 3;
        var crops = new List<float[]>();
        foreach (var photo in Photos())
        {
            var picture = ImageRep.DecodePixels(photo, 1600);
            // Two faces a photo keep the pure-JavaScript reference (seconds per crop) affordable.
            foreach (var face in analyzer.Analyze(picture).Take(2))
            {
                var crop = new float[size];
                FaceAligner.Align(picture, face.Detection, crop, 0);
                crops.Add(crop);
            }
        }
        // And an unaligned resize of a whole picture: not a face, still the same function.
        var astronaut = ImageRep.DecodePixels(Photos().Last(), 512);
        var whole = new float[size];
        ImageSampler.Sample(astronaut, ImageSampler.Affine.ScaleTranslate(512.0 / FaceModelFiles.EmbedderSize, 0, 0), FaceModelFiles.EmbedderSize, whole, 0, 0f, 1f);
        crops.Add(whole);

        var reference = TfjsReference.Run(ModelJson(FaceModelFiles.EmbedderSource), crops, [1, FaceModelFiles.EmbedderSize, FaceModelFiles.EmbedderSize, 3], FaceModelFiles.EmbedderOutput)[FaceModelFiles.EmbedderOutput];
        var worst = 1f;
        for (var i = 0; i < crops.Count; i++)
        {
            var ours = models.Embed(crops[i], 1);
            var theirs = VectorMath.Normalize(reference[i]);
            var cosine = VectorMath.Cosine(ours, theirs);
            worst = Math.Min(worst, cosine);
            Assert.True(cosine >= 0.9999f, $"crop {i}: cosine {cosine}");
        }
        output.WriteLine($"embedder: {crops.Count} crops, lowest cosine {worst:0.0000000}");
        Assert.True(crops.Count >= 12);
    }
}
