using MediaTagger.Core.Common;
using Microsoft.ML.OnnxRuntime;

namespace MediaTagger.Core.Models;

/// <summary>
/// The embedded default: the pretrained ResNet18 from the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18,
/// shipped in the module's models/resnet18/. Its CNTK-era graph takes one image at a time (input "Input247",
/// 512-d output "Pooling395_Output_0" shaped [1,512,1,1]) in BGR 0–255 minus a mean image; the package's own
/// ResNetPreprocess.onnx does that conversion from planar RGB 0–255, so we run it in front rather than copy its constants.
/// Image-to-image only: it has no text tower.
/// </summary>
public sealed class ResNet18Model : IEmbeddingModel
{
    public const string EmbeddedName = "resnet18";
    public const string ModelFile = "ResNet18.onnx";
    public const string PreprocessFile = "ResNetPreprocess.onnx";

    readonly InferenceSession _prep;
    readonly InferenceSession _net;
    readonly string _prepIn, _prepOut, _netIn, _netOut;
    readonly ImagePreprocessing _preprocessing;
    volatile bool _disposed;

    ResNet18Model(InferenceSession prep, InferenceSession net, string modelId, InferenceSettings settings)
    {
        Settings = settings;
        _prep = prep;
        _net = net;
        _prepIn = prep.InputMetadata.Keys.Single();
        _prepOut = prep.OutputMetadata.Keys.Single();
        _netIn = net.InputMetadata.Keys.Single();
        _netOut = net.OutputMetadata.Keys.Single();
        var shape = net.InputMetadata[_netIn].Dimensions;
        var outShape = net.OutputMetadata[_netOut].Dimensions;
        Dimension = outShape.Skip(1).Aggregate(1, (a, b) => a * Math.Max(1, b));
        // Planar RGB 0–255; the mean subtraction and channel swap happen in ResNetPreprocess.onnx.
        _preprocessing = new ImagePreprocessing
        {
            Height = shape[2], Width = shape[3], ResizeTo = Math.Min(shape[2], shape[3]),
            Resampler = Resampler.ImageMagick, Filter = PillowFilter.Bilinear, Scale = 1f, Mean = [0f, 0f, 0f], Std = [1f, 1f, 1f],
        };
        ModelId = modelId;
    }

    /// <summary>Where the embedded model ships: models/resnet18 beside the MediaTagger.Core assembly.</summary>
    public static string DefaultFolder => Path.Combine(Path.GetDirectoryName(typeof(ResNet18Model).Assembly.Location)!, "models", EmbeddedName);

    public string Name => EmbeddedName;
    public string ModelId { get; }
    public int Dimension { get; }
    public bool SupportsText => false;
    public InferenceSettings Settings { get; }
    public string Preprocessing => _preprocessing.Describe() + "; then ResNetPreprocess.onnx (BGR 0-255 minus mean image)";

    /// <param name="settings">Default: <see cref="InferenceSettings.SingleImage"/> with what MEDIATAGGER_INFERENCE sets (its batch does not apply: the graph takes one image).</param>
    public static ResNet18Model Load(string? folder = null, InferenceSettings? settings = null)
    {
        folder ??= DefaultFolder;
        settings ??= InferenceSettings.FromEnvironment(InferenceSettings.SingleImage);
        var modelPath = Path.Combine(folder, ModelFile);
        var prep = OnnxRuntimeSetup.OpenSession(Path.Combine(folder, PreprocessFile), 1);
        try
        {
            var net = OnnxRuntimeSetup.OpenSession(modelPath, settings.IntraOpThreads, settings.Spinning);
            return new ResNet18Model(prep, net, $"Microsoft.ML.DnnImageFeaturizer.ResNet18@sha256:{ModelManifest.Sha256Of(modelPath)[..16]}", settings with { Batch = 1 });
        }
        catch
        {
            prep.Dispose();
            throw;
        }
    }

    public float[][] EmbedImages(IReadOnlyList<string> imagePaths, CancellationToken cancellationToken = default) =>
        ModelDefaults.EmbedImages(this, imagePaths, cancellationToken);

    public PreparedImages PrepareImages(IReadOnlyList<string> imagePaths, CancellationToken cancellationToken = default) =>
        ModelDefaults.PrepareImages(_preprocessing, imagePaths, cancellationToken);

    public float[]?[] EmbedPrepared(PreparedImages batch, CancellationToken cancellationToken = default)
    {
        // A disposed native session must never be run: ONNX Runtime would crash the whole process, not throw.
        ObjectDisposedException.ThrowIf(_disposed, this);
        var result = new float[]?[batch.Count];
        long[] shape = [1, batch.Channels, batch.Height, batch.Width];
        // The graph takes one image at a time: one image per lane at once.
        InferenceLanes.Run(batch.Count, Settings.Lanes, cancellationToken, i =>
        {
            if (batch.Errors[i] is not null) return;
            try
            {
                using var runOptions = new RunOptions();
                using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, batch.Data.AsMemory(i * batch.ImageSize, batch.ImageSize), shape);
                using var prepared = _prep.Run(runOptions, [_prepIn], [input], [_prepOut]);
                using var output = _net.Run(runOptions, [_netIn], [prepared[0]], [_netOut]);
                result[i] = VectorMath.Normalize(output[0].GetTensorDataAsSpan<float>().ToArray());
            }
            catch (OnnxRuntimeException ex)
            {
                throw new MediaTaggerException(ErrorIds.ModelInferenceFailed, $"Running ResNet18 on '{batch.Paths[i]}' failed: {ex.Message}", ErrorKind.InvalidOperation, batch.Paths[i], ex);
            }
        });
        return result;
    }

    public float[] EmbedText(string text) =>
        throw new MediaTaggerException(ErrorIds.ModelHasNoTextTower,
            "The built-in model (resnet18) finds similar pictures but cannot search by text. Install a CLIP model first, " +
            "for example: Install-MediaTaggerModel -Name clip-vit-base-patch32 (or Install-MediaTaggerModel -Path <folder> on a machine without internet), then index again with Add-MediaEmbedding.",
            ErrorKind.NotInstalled, text);

    public void Dispose()
    {
        _disposed = true;
        _net.Dispose();
        _prep.Dispose();
    }
}
