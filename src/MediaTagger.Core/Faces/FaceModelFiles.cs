namespace MediaTagger.Core.Faces;

/// <summary>The files of the installed face models (the "faces" model folder) and where each came from.</summary>
public static class FaceModelFiles
{
    /// <summary>The installed model's name, as Install-MediaTaggerModel -Name and Get-MediaTaggerModel show it.</summary>
    public const string Name = "faces";

    /// <summary>MediaPipe BlazeFace (back-camera, 256×256): boxes, six landmarks and a score per anchor.</summary>
    public const string DetectorSource = "blazeface-back";

    /// <summary>
    /// HSE FaceRes (Savchenko; MobileNet trained on VGGFace2 with age and gender heads): a 224×224 face crop → the 1024-d
    /// global-pooling descriptor (the age and gender heads are left out of the conversion).
    /// </summary>
    public const string EmbedderSource = "faceres";

    /// <summary>The embedder's descriptor node.</summary>
    public const string EmbedderOutput = "global_pooling/Mean";

    public const string Detector = "detector.onnx";
    public const string Embedder = "embedder.onnx";
    public const int DetectorSize = 256;
    public const int EmbedderSize = 224;
    public const int Dimension = 1024;
}
