namespace MediaTagger.Core.Models;

/// <summary>
/// Where the parts of a CLIP-family model sit in a folder: Hugging Face's split export (onnx/vision_model.onnx,
/// onnx/text_model.onnx, vocab.json + merges.txt or tokenizer.json, preprocessor_config.json) or Immich's
/// (visual/model.onnx, visual/preprocess_cfg.json, textual/model.onnx, textual/tokenizer.json). Paths are relative.
/// </summary>
public sealed record ClipFiles(string Layout, string Vision, string? Text, string? Preprocess, string? Vocab, string? Merges, string? TokenizerJson)
{
    static readonly string[] VisionCandidates = ["onnx/vision_model.onnx", "vision_model.onnx", "visual/model.onnx"];
    static readonly string[] TextCandidates = ["onnx/text_model.onnx", "text_model.onnx", "textual/model.onnx"];
    static readonly string[] PreprocessCandidates = ["preprocessor_config.json", "visual/preprocess_cfg.json", "preprocess_cfg.json"];
    static readonly string[] TokenizerFolders = ["", "textual/"];

    /// <summary>The model's files in <paramref name="folder"/>, or null when it holds no image tower.</summary>
    public static ClipFiles? Find(string folder)
    {
        string? First(IEnumerable<string> candidates) => candidates.FirstOrDefault(c => File.Exists(Path.Combine(folder, c)));
        var vision = First(VisionCandidates);
        if (vision is null) return null;
        var vocabFolder = TokenizerFolders.FirstOrDefault(f => File.Exists(Path.Combine(folder, f + "vocab.json")) && File.Exists(Path.Combine(folder, f + "merges.txt")));
        return new ClipFiles(
            vision.StartsWith("visual/", StringComparison.Ordinal) ? "immich" : "huggingface",
            vision,
            First(TextCandidates),
            First(PreprocessCandidates),
            vocabFolder is null ? null : vocabFolder + "vocab.json",
            vocabFolder is null ? null : vocabFolder + "merges.txt",
            First(TokenizerFolders.Select(f => f + "tokenizer.json")));
    }

    public bool HasTokenizer => (Vocab is not null && Merges is not null) || TokenizerJson is not null;

    /// <summary>Every file the model needs, for copying and hashing.</summary>
    public IEnumerable<string> All => new[] { Vision, Text, Preprocess, Vocab, Merges, TokenizerJson }.OfType<string>().Distinct();
}
