using MediaTagger.Core.Common;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MediaTagger.Core.Models;

/// <summary>
/// A CLIP-family model from an installed folder: an image tower and, when present, a text tower with its tokenizer.
/// The text tower is opened on first use, so indexing never pays for it.
/// </summary>
public sealed class ClipModel : IEmbeddingModel
{
    readonly string _folder;
    readonly ClipFiles _files;
    readonly OnnxTower _vision;
    readonly ImagePreprocessing _preprocessing;
    readonly Lazy<(OnnxTower Tower, ClipTokenizer Tokenizer)>? _text;

    /// <summary>
    /// Appended to the weights' id: image vectors now come from Pillow-exact preprocessing, and a store made by 0.1's
    /// ImageMagick resize must be recomputed once rather than mixed with them (see MediaQuery's mismatch message).
    /// </summary>
    public const string PreprocessingRevision = "+pillow-preprocessing";

    ClipModel(string name, string modelId, string folder, ClipFiles files, OnnxTower vision, ImagePreprocessing preprocessing)
    {
        Name = name;
        ModelId = modelId + PreprocessingRevision;
        _folder = folder;
        _files = files;
        _vision = vision;
        _preprocessing = preprocessing;
        if (files.Text is not null && files.HasTokenizer)
            _text = new Lazy<(OnnxTower, ClipTokenizer)>(OpenText, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Name { get; }
    public string ModelId { get; }
    public int Dimension => _vision.Dimension;
    public bool SupportsText => _text is not null;
    public string Preprocessing => _preprocessing.Describe();
    public InferenceSettings Settings => _vision.Settings;

    /// <summary>Opens the model in <paramref name="folder"/>.</summary>
    /// <exception cref="MediaTaggerException">The folder holds no image tower, or a file does not load.</exception>
    /// <param name="settings">Default: <see cref="InferenceSettings.Batched"/> with what MEDIATAGGER_INFERENCE sets.</param>
    public static ClipModel Load(string folder, string name, string modelId, InferenceSettings? settings = null)
    {
        settings ??= InferenceSettings.FromEnvironment(InferenceSettings.Batched);
        var files = ClipFiles.Find(folder) ?? throw new MediaTaggerException(ErrorIds.ModelFolderInvalid,
            $"'{folder}' holds no CLIP image model (onnx/vision_model.onnx, vision_model.onnx or visual/model.onnx).", ErrorKind.InvalidData, folder);
        var vision = OnnxTower.Open(Path.Combine(folder, files.Vision), ["pixel_values", "image", "input"], ["image_embeds", "embedding", "embeddings"], settings);
        try
        {
            if (vision.InputType != TensorElementType.Float || vision.InputShape.Length != 4)
                throw new MediaTaggerException(ErrorIds.ModelLoadFailed, $"'{vision.File}' does not take a float image tensor [N,3,H,W] (its input '{vision.InputName}' is {vision.InputType} of rank {vision.InputShape.Length}).", ErrorKind.InvalidData, vision.File);
            var prep = files.Preprocess is null ? ImagePreprocessing.Clip() : PreprocessorConfig.Load(Path.Combine(folder, files.Preprocess));
            // The graph's own fixed size wins over a config that disagrees with it.
            int h = vision.InputShape[2], w = vision.InputShape[3];
            if (h > 0 && w > 0 && (h != prep.Height || w != prep.Width)) prep = prep with { Height = h, Width = w, ResizeTo = Math.Min(h, w) };
            vision.ProbeDimension([1, 3, prep.Height, prep.Width]);
            return new ClipModel(name, modelId, folder, files, vision, prep);
        }
        catch
        {
            vision.Dispose();
            throw;
        }
    }

    (OnnxTower, ClipTokenizer) OpenText()
    {
        var tokenizer = _files.Vocab is not null && _files.Merges is not null
            ? ClipTokenizer.FromFiles(Path.Combine(_folder, _files.Vocab), Path.Combine(_folder, _files.Merges))
            : ClipTokenizer.FromTokenizerJson(Path.Combine(_folder, _files.TokenizerJson!));
        var tower = OnnxTower.Open(Path.Combine(_folder, _files.Text!), ["input_ids", "text", "tokens"], ["text_embeds", "embedding", "embeddings"], Settings);
        try
        {
            if (tower.InputType is not (TensorElementType.Int64 or TensorElementType.Int32))
                throw new MediaTaggerException(ErrorIds.ModelLoadFailed, $"'{tower.File}' does not take integer token ids (its input '{tower.InputName}' is {tower.InputType}).", ErrorKind.InvalidData, tower.File);
            tower.ProbeDimension([1, ContextLength(tower)]);
            if (tower.Dimension != Dimension)
                throw new MediaTaggerException(ErrorIds.ModelLoadFailed, $"The text tower '{tower.File}' makes {tower.Dimension}-d vectors but the image tower makes {Dimension}-d: they are not one model.", ErrorKind.InvalidData, tower.File);
            return (tower, tokenizer);
        }
        catch
        {
            tower.Dispose();
            throw;
        }
    }

    static int ContextLength(OnnxTower tower) => tower.InputShape.Length > 1 && tower.InputShape[1] > 0 ? tower.InputShape[1] : ClipTokenizer.DefaultContextLength;

    /// <summary>Opens the text tower now (install checks it loads); false when the model has none.</summary>
    public bool LoadText()
    {
        if (_text is null) return false;
        _ = _text.Value;
        return true;
    }

    public float[][] EmbedImages(IReadOnlyList<string> imagePaths, CancellationToken cancellationToken = default) =>
        ModelDefaults.EmbedImages(this, imagePaths, cancellationToken);

    public PreparedImages PrepareImages(IReadOnlyList<string> imagePaths, CancellationToken cancellationToken = default) =>
        ModelDefaults.PrepareImages(_preprocessing, imagePaths, cancellationToken);

    public float[]?[] EmbedPrepared(PreparedImages batch, CancellationToken cancellationToken = default)
    {
        var ok = Enumerable.Range(0, batch.Count).Where(i => batch.Errors[i] is null).ToArray();
        var result = new float[]?[batch.Count];
        if (ok.Length == 0) return result;
        var data = batch.Data;
        if (ok.Length != batch.Count)
        {
            data = new float[ok.Length * batch.ImageSize];
            for (var j = 0; j < ok.Length; j++) batch.Slot(ok[j]).CopyTo(data.AsSpan(j * batch.ImageSize));
        }
        var vectors = _vision.Run(data, [ok.Length, batch.Channels, batch.Height, batch.Width], cancellationToken);
        for (var j = 0; j < ok.Length; j++) result[ok[j]] = vectors[j];
        return result;
    }

    public float[] EmbedText(string text)
    {
        if (_text is null)
            throw new MediaTaggerException(ErrorIds.ModelHasNoTextTower,
                $"The model '{Name}' has no text part (text model or tokenizer files missing in '{_folder}'), so it cannot search by text. Reinstall it with Install-MediaTaggerModel -Name {Name} -Force.",
                ErrorKind.InvalidOperation, Name);
        var (tower, tokenizer) = _text.Value;
        var (ids, _) = tokenizer.EncodePadded(text, ContextLength(tower));
        return tower.InputType == TensorElementType.Int32
            ? tower.Run(ids.Select(i => (int)i).ToArray(), [1, ids.Length])[0]
            : tower.Run(ids, [1, ids.Length])[0];
    }

    public void Dispose()
    {
        _vision.Dispose();
        if (_text is { IsValueCreated: true }) _text.Value.Tower.Dispose();
    }
}
