using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MediaTagger.Core.Common;
using Microsoft.ML.Tokenizers;

namespace MediaTagger.Core.Models;

/// <summary>
/// The CLIP text tokenizer on Microsoft.ML.Tokenizers: byte-level BPE with "&lt;/w&gt;" ending each word, OpenAI's
/// pre-tokenizer regex, text lower-cased with whitespace collapsed; &lt;|startoftext|&gt; … &lt;|endoftext|&gt;,
/// truncated to the context length keeping the end token, padded after it.
/// </summary>
public sealed class ClipTokenizer
{
    public const string StartToken = "<|startoftext|>";
    public const string EndToken = "<|endoftext|>";
    public const int DefaultContextLength = 77;

    const string Pattern = @"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+";

    readonly BpeTokenizer _bpe;

    ClipTokenizer(BpeTokenizer bpe, int startId, int endId)
    {
        _bpe = bpe;
        StartId = startId;
        EndId = endId;
    }

    public int StartId { get; }
    public int EndId { get; }

    /// <summary>Loads vocab.json + merges.txt (the Hugging Face layout).</summary>
    public static ClipTokenizer FromFiles(string vocabJson, string mergesTxt)
    {
        try
        {
            var vocab = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(vocabJson)) ?? throw new JsonException("empty vocabulary");
            var merges = File.ReadLines(mergesTxt).Where(l => l.Length > 0 && !l.StartsWith("#version", StringComparison.Ordinal)).ToList();
            return Create(vocab, merges);
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new MediaTaggerException(ErrorIds.ModelFolderInvalid, $"The tokenizer files '{vocabJson}', '{mergesTxt}' cannot be read: {ex.Message}", ErrorKind.InvalidData, vocabJson, ex);
        }
    }

    /// <summary>Loads a Hugging Face tokenizer.json (its model.vocab and model.merges; merges as "a b" strings or [a, b] pairs).</summary>
    public static ClipTokenizer FromTokenizerJson(string tokenizerJson)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(tokenizerJson));
            var model = doc.RootElement.GetProperty("model");
            var vocab = model.GetProperty("vocab").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
            var merges = model.GetProperty("merges").EnumerateArray()
                .Select(m => m.ValueKind == JsonValueKind.Array ? $"{m[0].GetString()} {m[1].GetString()}" : m.GetString()!)
                .ToList();
            // Added tokens (the start/end markers) are outside model.vocab in some exports.
            if (doc.RootElement.TryGetProperty("added_tokens", out var added))
                foreach (var t in added.EnumerateArray())
                    vocab.TryAdd(t.GetProperty("content").GetString()!, t.GetProperty("id").GetInt32());
            return Create(vocab, merges);
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or KeyNotFoundException or InvalidOperationException)
        {
            throw new MediaTaggerException(ErrorIds.ModelFolderInvalid, $"The tokenizer file '{tokenizerJson}' cannot be read: {ex.Message}", ErrorKind.InvalidData, tokenizerJson, ex);
        }
    }

    static ClipTokenizer Create(Dictionary<string, int> vocab, List<string> merges)
    {
        if (!vocab.TryGetValue(StartToken, out var start) || !vocab.TryGetValue(EndToken, out var end))
            throw new JsonException($"the vocabulary has no {StartToken} / {EndToken} tokens: not a CLIP tokenizer");
        var special = new Dictionary<string, int> { [StartToken] = start, [EndToken] = end };
        var bpe = BpeTokenizer.Create(new BpeOptions(vocab)
        {
            Merges = merges,
            ByteLevel = true,
            EndOfWordSuffix = "</w>",
            PreTokenizer = new RegexPreTokenizer(new Regex(Pattern, RegexOptions.Compiled), special),
            Normalizer = new ClipNormalizer(),
            SpecialTokens = special,
        });
        return new ClipTokenizer(bpe, start, end);
    }

    /// <summary>The ids of <paramref name="text"/> with start and end tokens, no padding, no truncation.</summary>
    public int[] Encode(string text)
    {
        var ids = _bpe.EncodeToIds(text);
        var result = new int[ids.Count + 2];
        result[0] = StartId;
        for (var i = 0; i < ids.Count; i++) result[i + 1] = ids[i];
        result[^1] = EndId;
        return result;
    }

    /// <summary>
    /// Exactly <paramref name="contextLength"/> ids: start, at most contextLength-2 text tokens, end, then
    /// <paramref name="padId"/>. Also returns how many are real tokens (for an attention mask).
    /// </summary>
    public (long[] Ids, int Length) EncodePadded(string text, int contextLength = DefaultContextLength, int padId = 0)
    {
        var ids = Encode(text);
        if (ids.Length > contextLength)
        {
            ids = ids[..contextLength];
            ids[^1] = EndId;
        }
        var padded = new long[contextLength];
        for (var i = 0; i < contextLength; i++) padded[i] = i < ids.Length ? ids[i] : padId;
        return (padded, ids.Length);
    }

    /// <summary>CLIP's text cleaning: NFC, whitespace collapsed and trimmed, lower case.</summary>
    sealed class ClipNormalizer : Normalizer
    {
        static readonly Regex Whitespace = new(@"\s+", RegexOptions.Compiled);

        public override string Normalize(string original) =>
            Whitespace.Replace(original.Normalize(NormalizationForm.FormC), " ").Trim().ToLowerInvariant();

        public override string Normalize(ReadOnlySpan<char> original) => Normalize(original.ToString());
    }
}
