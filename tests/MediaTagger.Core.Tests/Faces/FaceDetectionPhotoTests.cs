using ImageMagick;
using MediaTagger.Core.Faces;
using MediaTagger.Core.Models;
using MediaTagger.Core.Reps;
using Xunit.Abstractions;

namespace MediaTagger.Core.Tests.Faces;

/// <summary>
/// Detection and identity on real photographs: face-api's six demo group photos and scikit-image's astronaut. The
/// expected faces were checked by eye once (boxes drawn on the photos) and are fixed here as face centres.
/// </summary>
public class FaceDetectionPhotoTests(ITestOutputHelper output)
{
    /// <summary>Centres of the real faces (picture fitted to 1600 px), and how many false detections were seen by eye.</summary>
    public static TheoryData<string, float[], int> Expected => new()
    {
        { "sample1.jpg", [431, 415, 784, 466, 1303, 284], 1 },     // the fourth box is a dark cushion on the left
        { "sample2.jpg", [1295, 244, 822, 300, 383, 244], 0 },     // the left face is in profile
        { "sample3.jpg", [576, 405, 1325, 376, 989, 320], 0 },
        { "sample4.jpg", [631, 175, 904, 267, 268, 279, 1143, 246], 0 },
        { "sample5.jpg", [1266, 454, 563, 469, 395, 871, 717, 203, 1004, 290], 0 },
        { "sample6.jpg", [294, 540, 1327, 360, 1055, 388, 655, 419], 0 },
        { "astronaut.png", [224, 126], 0 },
    };

    static string PathOf(string name) => name == "astronaut.png"
        ? "/usr/lib/python3/dist-packages/skimage/data/astronaut.png"
        : Path.Combine(NpmFixtures.Unpacked(NpmFixtures.FaceApi), "demo", name);

    [Theory]
    [MemberData(nameof(Expected))]
    public void Every_face_in_the_photo_is_found_with_its_eyes_inside_the_box(string photo, float[] centres, int falseDetections)
    {
        var faces = new FaceAnalyzer(NpmFixtures.Models).Analyze(ImageRep.DecodePixels(PathOf(photo), 1600));
        output.WriteLine(string.Join("\n", faces.Select(f => $"{f.Detection.X + f.Detection.Width / 2:0},{f.Detection.Y + f.Detection.Height / 2:0} {f.Detection.Width:0}px score {f.Detection.Score:0.00}")));
        for (var i = 0; i < centres.Length; i += 2)
        {
            var (cx, cy) = (centres[i], centres[i + 1]);
            var match = faces.SingleOrDefault(f => Math.Abs(f.Detection.X + f.Detection.Width / 2 - cx) < f.Detection.Width / 4 && Math.Abs(f.Detection.Y + f.Detection.Height / 2 - cy) < f.Detection.Height / 4);
            Assert.True(match is not null, $"{photo}: the face at {cx},{cy} was not found");
            var d = match.Detection;
            Assert.All(d.Landmarks.Take(2), p => Assert.True(p.X > d.X && p.X < d.X + d.Width && p.Y > d.Y && p.Y < d.Y + d.Height, "an eye lies outside its box"));
            Assert.True(d.Landmarks[0].X < d.Landmarks[1].X || photo == "sample2.jpg", "the person's right eye is on the picture's left");
        }
        Assert.Equal(centres.Length / 2 + falseDetections, faces.Count);
    }

    [Fact]
    public void The_same_face_under_crop_scale_light_and_JPEG_changes_matches_far_above_different_faces()
    {
        var models = NpmFixtures.Models;
        var analyzer = new FaceAnalyzer(models);
        using var tmp = new TempFolder("faceid");
        var source = PathOf("astronaut.png");
        var original = analyzer.Analyze(ImageRep.DecodePixels(source, 1600)).Single().Vector;

        var variants = new Dictionary<string, Action<MagickImage>>
        {
            ["crop"] = i => i.Crop(new MagickGeometry(100, 20, 300, 300)),
            ["half size"] = i => i.Resize(256, 256),
            ["double size"] = i => i.Resize(1024, 1024),
            ["darker"] = i => i.Modulate(new Percentage(55)),
            ["brighter"] = i => i.Modulate(new Percentage(140)),
            ["jpeg q25"] = i => i.Quality = 25,
        };
        var same = new Dictionary<string, float>();
        foreach (var (name, change) in variants)
        {
            using var image = new MagickImage(source);
            change(image);
            var file = Path.Combine(tmp.Path, name.Replace(' ', '-') + ".jpg");
            image.Write(file, MagickFormat.Jpeg);
            var face = analyzer.Analyze(ImageRep.DecodePixels(file, 1600)).OrderByDescending(f => f.Detection.Area).First();
            same[name] = VectorMath.Cosine(original, face.Vector);
        }
        // Different people: the 22 faces of the demo photos.
        var others = Expected.Select(row => (string)row[0]).Where(p => p != "astronaut.png")
            .SelectMany(p => analyzer.Analyze(ImageRep.DecodePixels(PathOf(p), 1600)))
            .Select(f => VectorMath.Cosine(original, f.Vector)).ToList();
        output.WriteLine("same face: " + string.Join(", ", same.Select(s => $"{s.Key} {s.Value:0.000}")));
        output.WriteLine($"different faces ({others.Count}): max {others.Max():0.000}, mean {others.Average():0.000}");
        Assert.True(others.Count >= 22);
        Assert.All(same, s => Assert.True(s.Value > others.Max() + 0.2f, $"{s.Key}: {s.Value:0.000} is not far above the best different face {others.Max():0.000}"));
    }
}
