using MediaTagger.Core.Reps;

namespace MediaTagger.Core.Faces;

/// <summary>A face found and embedded: where it is and its 192-d unit vector.</summary>
public sealed record AnalyzedFace(FaceDetection Detection, float[] Vector);

/// <summary>Detects every face in a picture, aligns each and embeds them in one batch.</summary>
public sealed class FaceAnalyzer(FaceModels models, FaceDetectorOptions? options = null)
{
    readonly FaceDetector _detector = new(models, options);

    public FaceDetectorOptions Options => _detector.Options;

    public List<AnalyzedFace> Analyze(RgbPixels picture, CancellationToken cancellationToken = default)
    {
        var faces = _detector.Detect(picture, cancellationToken);
        if (faces.Count == 0) return [];
        var size = FaceModelFiles.EmbedderSize * FaceModelFiles.EmbedderSize * 3;
        var batch = new float[faces.Count * size];
        for (var i = 0; i < faces.Count; i++) FaceAligner.Align(picture, faces[i], batch, i * size);
        cancellationToken.ThrowIfCancellationRequested();
        var vectors = models.Embed(batch, faces.Count);
        return faces.Select((f, i) => new AnalyzedFace(f, vectors.AsSpan(i * FaceModelFiles.Dimension, FaceModelFiles.Dimension).ToArray())).ToList();
    }
}
