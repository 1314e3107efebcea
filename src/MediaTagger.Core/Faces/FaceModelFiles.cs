namespace MediaTagger.Core.Faces;

/// <summary>The files of the installed face models (the "faces" model folder) and where each came from.</summary>
public static class FaceModelFiles
{
    /// <summary>The installed model's name, as Install-MediaTaggerModel -Name and Get-MediaTaggerModel show it.</summary>
    public const string Name = "faces";

    /// <summary>MediaPipe BlazeFace (back-camera, 256×256): boxes, six landmarks and a score per anchor.</summary>
    public const string DetectorSource = "blazeface-back";

    /// <summary>MobileFaceNet (112×112 aligned face → 192-d L2-normalised embedding).</summary>
    public const string EmbedderSource = "mobilefacenet";

    public const string Detector = "detector.onnx";
    public const string Embedder = "embedder.onnx";
    public const int DetectorSize = 256;
    public const int EmbedderSize = 112;
    public const int Dimension = 192;
}
