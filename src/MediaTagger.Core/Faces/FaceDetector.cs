using MediaTagger.Core.Reps;

namespace MediaTagger.Core.Faces;

/// <summary>
/// Finds faces of every size in a picture with a 256-pixel detector: the whole picture first, then overlapping tiles
/// (a quarter overlap) of half the size at each level down to <see cref="FaceDetectorOptions.MinTile"/>, so a face
/// 30 pixels tall in a group photo meets the detector at a size it was trained for. A box cut by a tile's inner edge is
/// dropped (the overlapping tile sees it whole), and the union goes through one more suppression.
/// </summary>
public sealed class FaceDetector(FaceModels models, FaceDetectorOptions? options = null)
{
    public FaceDetectorOptions Options { get; } = options ?? new FaceDetectorOptions();

    /// <summary>The tiles looked at: (x, y, side) in picture pixels, coarsest first.</summary>
    public static List<(float X, float Y, float Side)> Tiles(int width, int height, int minTile)
    {
        var tiles = new List<(float, float, float)>();
        var longest = (float)Math.Max(width, height);
        for (var side = longest; ; side /= 2)
        {
            foreach (var y in Positions(height, side))
            foreach (var x in Positions(width, side))
                tiles.Add((x, y, side));
            if (side / 2 < minTile) break;
        }
        return tiles;
    }

    static IEnumerable<float> Positions(int length, float side)
    {
        if (length <= side)
        {
            yield return (length - side) / 2;
            yield break;
        }
        var n = (int)Math.Ceiling((length - side) / (0.75f * side)) + 1;
        for (var i = 0; i < n; i++) yield return (length - side) * i / (n - 1);
    }

    /// <summary>Every face in <paramref name="picture"/>, in its pixels, best score first.</summary>
    public List<FaceDetection> Detect(RgbPixels picture, CancellationToken cancellationToken = default)
    {
        var size = FaceModelFiles.DetectorSize;
        var pyramid = new List<RgbPixels> { picture };
        var input = new float[size * size * 3];
        var found = new List<FaceDetection>();
        foreach (var (tx, ty, side) in Tiles(picture.Width, picture.Height, Options.MinTile))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var factor = side / size;
            var level = factor < 2 ? 0 : (int)Math.Floor(Math.Log2(factor));
            while (pyramid.Count <= level) pyramid.Add(ImageSampler.Half(pyramid[^1]));
            var shrink = 1 << level;
            ImageSampler.Sample(pyramid[level], ImageSampler.Affine.ScaleTranslate(factor / shrink, tx / shrink, ty / shrink), size, input, 0, 127.5f, 127.5f);
            var (regressors, logits) = models.Detect(input);
            var inTile = BlazeFace.Suppress(BlazeFace.Decode(regressors, logits, Options.MinScore), Options.Iou);
            foreach (var d in inTile)
            {
                if (CutByInnerEdge(d, size, tx, ty, side, picture.Width, picture.Height)) continue;
                found.Add(d.Transform(factor, tx, ty));
            }
        }
        return BlazeFace.Suppress(found.Where(d => Math.Max(d.Width, d.Height) >= Options.MinFaceSize), Options.Iou, containment: 0.6f);
    }

    /// <summary>True when the box (in tile input pixels) touches a tile edge that lies inside the picture.</summary>
    static bool CutByInnerEdge(FaceDetection d, int size, float tx, float ty, float side, int width, int height)
    {
        const float margin = 2f;
        return (d.X < margin && tx > 0)
            || (d.Y < margin && ty > 0)
            || (d.X + d.Width > size - margin && tx + side < width)
            || (d.Y + d.Height > size - margin && ty + side < height);
    }
}
