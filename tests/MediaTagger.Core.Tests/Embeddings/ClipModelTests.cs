using MediaTagger.Core.Common;
using MediaTagger.Core.Models;
using MediaTagger.TestSupport;

namespace MediaTagger.Core.Tests.Embeddings;

public class ClipModelTests
{
    static (string Red, string Green, string Blue) ColourImages(string folder) =>
        (TestImages.Coloured(folder, "red"), TestImages.Coloured(folder, "green", 200, 300), TestImages.Coloured(folder, "blue"));

    static void AssertColourSearchWorks(IEmbeddingModel model, string folder)
    {
        var (red, green, blue) = ColourImages(folder);
        var images = model.EmbedImages([red, green, blue]);
        Assert.All(images, v => Assert.Equal(1f, MathF.Sqrt(v.Sum(x => x * x)), 4));
        foreach (var (word, expected) in new[] { ("red", 0), ("a photo of something green", 1), ("BLUE", 2) })
        {
            var text = model.EmbedText(word);
            Assert.Equal(model.Dimension, text.Length);
            var scores = images.Select(i => VectorMath.Cosine(text, i)).ToArray();
            Assert.Equal(expected, Array.IndexOf(scores, scores.Max()));
            Assert.True(scores[expected] > 0.5f, $"'{word}' scores {string.Join(", ", scores)}");
        }
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void A_Hugging_Face_export_installs_from_a_folder_and_puts_red_text_near_red_images(bool int32Ids, bool nestedConfig)
    {
        using var tmp = new TempFolder("clip");
        var source = TinyClip.WriteHuggingFace(Path.Combine(tmp.Path, "clip-vit-tiny"), int32Ids, nestedConfig);
        var installer = new ModelInstaller(Path.Combine(tmp.Path, "models"));
        var result = installer.InstallFromFolder(source, null, force: false, null, CancellationToken.None);
        Assert.Equal(InstallOutcome.Installed, result.Outcome);
        Assert.Equal("clip-vit-tiny", result.Manifest.Name);
        Assert.Equal(TinyClip.Dim, result.Manifest.Dimension);
        Assert.True(result.Manifest.SupportsText);
        Assert.Equal("huggingface", result.Manifest.Layout);
        Assert.Equal(ModelManifest.Sha256Of(Path.Combine(source, "onnx", "vision_model.onnx")), result.Manifest.Files.Single(f => f.Path == "onnx/vision_model.onnx").Sha256);

        var registry = new ModelRegistry(installer.ModelsRoot);
        Assert.Equal("clip-vit-tiny", registry.ResolveName());
        using var model = registry.Open("clip-vit-tiny");
        Assert.StartsWith("clip-vit-tiny@sha256:", model.ModelId);
        AssertColourSearchWorks(model, tmp.Path);
    }

    [Fact]
    public void The_Immich_layout_with_a_fixed_batch_of_one_works_the_same()
    {
        using var tmp = new TempFolder("immich");
        var source = TinyClip.WriteImmich(Path.Combine(tmp.Path, "ViT-B-32__openai"));
        var installer = new ModelInstaller(Path.Combine(tmp.Path, "models"));
        var result = installer.InstallFromFolder(source, "immich-tiny", force: false, null, CancellationToken.None);
        Assert.Equal("immich", result.Manifest.Layout);
        using var model = new ModelRegistry(installer.ModelsRoot).Open("immich-tiny");
        AssertColourSearchWorks(model, tmp.Path);
    }

    [Fact]
    public void Default_rule_profile_then_CLIP_then_ResNet18()
    {
        using var tmp = new TempFolder("reg");
        var registry = new ModelRegistry(Path.Combine(tmp.Path, "models"));
        Assert.Equal(ResNet18Model.EmbeddedName, registry.ResolveName());
        Assert.Single(registry.List(), m => m.IsDefault && m.Name == "resnet18");
        new ModelInstaller(registry.ModelsRoot).InstallFromFolder(TinyClip.WriteHuggingFace(Path.Combine(tmp.Path, "tiny")), "tiny", false, null, CancellationToken.None);
        Assert.Equal("tiny", registry.ResolveName());
        Assert.Equal("resnet18", registry.ResolveName(null, new Profiles.MediaProfile { Model = "ResNet18" }));
        Assert.Equal("tiny", registry.ResolveName("TINY"));
        var ex = Assert.Throws<MediaTaggerException>(() => registry.ResolveName("clip-vit-large-patch14"));
        Assert.Equal(ErrorIds.ModelNotInstalled, ex.ErrorId);
        Assert.Contains("Install-MediaTaggerModel", ex.Message);
    }

    [Fact]
    public void A_model_without_a_text_tower_fails_text_search_with_one_clear_error()
    {
        using var tmp = new TempFolder("notext");
        var installer = new ModelInstaller(Path.Combine(tmp.Path, "models"));
        var result = installer.InstallFromFolder(TinyClip.WriteHuggingFace(Path.Combine(tmp.Path, "vision-only"), withText: false), null, false, null, CancellationToken.None);
        Assert.False(result.Manifest.SupportsText);
        using var model = new ModelRegistry(installer.ModelsRoot).Open("vision-only");
        Assert.False(model.SupportsText);
        var ex = Assert.Throws<MediaTaggerException>(() => model.EmbedText("red"));
        Assert.Equal(ErrorIds.ModelHasNoTextTower, ex.ErrorId);
        Assert.Contains("Install-MediaTaggerModel", ex.Message);
    }

    [Fact]
    public void A_folder_that_is_not_a_model_or_does_not_load_is_refused_and_nothing_is_installed()
    {
        using var tmp = new TempFolder("badmodel");
        var installer = new ModelInstaller(Path.Combine(tmp.Path, "models"));
        var empty = Directory.CreateDirectory(Path.Combine(tmp.Path, "empty")).FullName;
        Assert.Equal(ErrorIds.ModelFolderInvalid, Assert.Throws<MediaTaggerException>(() => installer.InstallFromFolder(empty, null, false, null, CancellationToken.None)).ErrorId);

        var broken = TinyClip.WriteHuggingFace(Path.Combine(tmp.Path, "broken"));
        File.WriteAllBytes(Path.Combine(broken, "onnx", "vision_model.onnx"), new byte[1000]);
        Assert.Equal(ErrorIds.ModelLoadFailed, Assert.Throws<MediaTaggerException>(() => installer.InstallFromFolder(broken, null, false, null, CancellationToken.None)).ErrorId);
        Assert.Empty(new ModelRegistry(installer.ModelsRoot).Installed());
        Assert.Empty(Directory.EnumerateFileSystemEntries(installer.ModelsRoot));
    }

    [Fact]
    public void A_second_install_checks_the_recorded_hashes()
    {
        using var tmp = new TempFolder("rehash");
        var installer = new ModelInstaller(Path.Combine(tmp.Path, "models"));
        var source = TinyClip.WriteHuggingFace(Path.Combine(tmp.Path, "tiny"));
        installer.InstallFromFolder(source, null, false, null, CancellationToken.None);
        Assert.Equal(InstallOutcome.AlreadyInstalled, installer.InstallFromFolder(source, null, false, null, CancellationToken.None).Outcome);

        var installedVocab = Path.Combine(installer.ModelsRoot, "tiny", "vocab.json");
        File.AppendAllText(installedVocab, " ");
        var ex = Assert.Throws<MediaTaggerException>(() => installer.InstallFromFolder(source, null, false, null, CancellationToken.None));
        Assert.Equal(ErrorIds.ModelHashMismatch, ex.ErrorId);
        Assert.Contains("vocab.json", ex.Message);
        Assert.Equal(InstallOutcome.Installed, installer.InstallFromFolder(source, null, true, null, CancellationToken.None).Outcome);
        Assert.Empty(new ModelRegistry(installer.ModelsRoot).Installed().Single().FindDamaged(Path.Combine(installer.ModelsRoot, "tiny")));
    }
}
