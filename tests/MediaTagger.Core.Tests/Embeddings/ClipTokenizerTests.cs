using System.Text.Json;
using MediaTagger.Core.Models;
using MediaTagger.TestSupport;

namespace MediaTagger.Core.Tests.Embeddings;

public class ClipTokenizerTests
{
    [SharedDataFact]
    public void Reproduces_every_reference_id_of_OpenAIs_tokenizer()
    {
        var folder = SharedData.Folder!;
        var tokenizer = ClipTokenizer.FromFiles(Path.Combine(folder, "vocab.json"), Path.Combine(folder, "merges.txt"));
        var reference = JsonSerializer.Deserialize<Dictionary<string, int[]>>(File.ReadAllText(Path.Combine(folder, "ref_ids.json")))!;
        Assert.NotEmpty(reference);
        foreach (var (text, ids) in reference)
            Assert.True(ids.SequenceEqual(tokenizer.Encode(text)), $"'{text}': expected [{string.Join(",", ids)}], got [{string.Join(",", tokenizer.Encode(text))}]");
    }

    [SharedDataFact]
    public void Truncates_to_77_keeping_the_end_token_and_pads_after_it()
    {
        var folder = SharedData.Folder!;
        var tokenizer = ClipTokenizer.FromFiles(Path.Combine(folder, "vocab.json"), Path.Combine(folder, "merges.txt"));
        var (ids, length) = tokenizer.EncodePadded(string.Join(" ", Enumerable.Repeat("dog", 200)));
        Assert.Equal(77, ids.Length);
        Assert.Equal(77, length);
        Assert.Equal(49406, ids[0]);
        Assert.Equal(49407, ids[76]);
        var (shortIds, shortLength) = tokenizer.EncodePadded("a photo of a cat");
        Assert.Equal(7, shortLength);
        Assert.Equal([49406, 320, 1125, 539, 320, 2368, 49407], shortIds[..7]);
        Assert.All(shortIds[7..], id => Assert.Equal(0, id));
    }

    [Fact]
    public void Reference_data_that_is_present_but_unreadable_fails_the_parity_tests_instead_of_skipping_them()
    {
        using var tmp = new TempFolder("shared");
        var repo = Directory.CreateDirectory(Path.Combine(tmp.Path, "wt", "repo")).FullName;
        Assert.Null(SharedData.FolderFrom(repo));
        // Present but empty (a failed copy, a permission problem): found, so the parity tests run and fail loudly.
        var folder = Directory.CreateDirectory(Path.Combine(tmp.Path, "shared", "clip-tokenizer")).FullName;
        Assert.Equal(folder, SharedData.FolderFrom(repo));
        Assert.ThrowsAny<MediaTagger.Core.Common.MediaTaggerException>(() => ClipTokenizer.FromFiles(Path.Combine(folder, "vocab.json"), Path.Combine(folder, "merges.txt")));
    }

    [Fact]
    public void Vocab_merges_and_tokenizer_json_give_the_same_ids()
    {
        using var tmp = new TempFolder("tok");
        TinyClip.WriteHuggingFace(Path.Combine(tmp.Path, "hf"));
        TinyClip.WriteImmich(Path.Combine(tmp.Path, "immich"));
        var fromFiles = ClipTokenizer.FromFiles(Path.Combine(tmp.Path, "hf", "vocab.json"), Path.Combine(tmp.Path, "hf", "merges.txt"));
        var fromJson = ClipTokenizer.FromTokenizerJson(Path.Combine(tmp.Path, "immich", "textual", "tokenizer.json"));
        var (vocab, _) = TinyClip.Vocabulary();
        foreach (var text in new[] { "Red", "a  GREEN\tcar", "blue-ish red!" })
            Assert.Equal(fromFiles.Encode(text), fromJson.Encode(text));
        Assert.Equal([vocab["<|startoftext|>"], vocab["red</w>"], vocab["<|endoftext|>"]], fromFiles.Encode("  RED "));
    }
}
