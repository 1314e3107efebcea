using MediaTagger.Core.Common;

namespace MediaTagger.Core.Faces.Conversion;

/// <summary>The public face of the TensorFlow.js → ONNX converter: one model.json (and its shards) in, one .onnx file out.</summary>
public static class TfjsConverter
{
    public const string Producer = "MediaTagger tfjs-to-onnx";

    /// <summary>Converts <paramref name="modelJson"/> and writes <paramref name="onnxFile"/> atomically.</summary>
    /// <exception cref="MediaTaggerException"><see cref="ErrorIds.FaceModelConversionFailed"/> with the reason.</exception>
    public static void Convert(string modelJson, string onnxFile, IReadOnlyList<string>? outputs = null)
    {
        byte[] bytes;
        try
        {
            bytes = TfjsToOnnx.Convert(TfjsGraphModel.Load(modelJson), Producer, outputs);
        }
        catch (Exception ex) when (ex is TfjsConversionException or System.Text.Json.JsonException or IOException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new MediaTaggerException(ErrorIds.FaceModelConversionFailed,
                $"The TensorFlow.js model '{modelJson}' cannot be converted to ONNX: {ex.Message}", ErrorKind.InvalidData, modelJson, ex);
        }
        AtomicFile.WriteAllBytes(onnxFile, bytes);
    }
}
