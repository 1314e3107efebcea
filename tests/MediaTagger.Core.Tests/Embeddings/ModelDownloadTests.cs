using MediaTagger.Core.Common;
using MediaTagger.Core.Models;
using MediaTagger.TestSupport;

namespace MediaTagger.Core.Tests.Embeddings;

public class ModelDownloadTests
{
    const string Repo = "test/tiny-clip";

    /// <summary>Serves a tiny CLIP export under <see cref="Repo"/> and returns a catalog entry describing it.</summary>
    static CatalogEntry Serve(LocalFileServer server, string folder, int sizeSlack = 0)
    {
        var source = TinyClip.WriteHuggingFace(folder);
        var entry = new CatalogEntry { Name = "tiny-clip", Repo = Repo, Dimension = TinyClip.Dim };
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(source, file).Replace('\\', '/');
            var bytes = File.ReadAllBytes(file);
            server.Add($"/{Repo}/resolve/main/{rel}", bytes);
            entry.Files.Add(new CatalogFile { Path = rel, Size = bytes.Length + sizeSlack, Url = $"https://huggingface.co/{Repo}/resolve/main/{rel}" });
        }
        return entry;
    }

    [Fact]
    public void Installs_from_the_catalog_with_progress_records_hashes_and_loads()
    {
        using var tmp = new TempFolder("dl");
        using var server = new LocalFileServer();
        var entry = Serve(server, Path.Combine(tmp.Path, "src"));
        var installer = new ModelInstaller(Path.Combine(tmp.Path, "models"));
        var progress = new List<InstallProgress>();
        var result = installer.InstallFromCatalog(entry, server.BaseUrl, false, progress.Add, CancellationToken.None);

        Assert.Equal(InstallOutcome.Installed, result.Outcome);
        Assert.Equal(entry.Files.Select(f => f.Path).Order(), result.Manifest.Files.Select(f => f.Path).Order());
        foreach (var f in result.Manifest.Files)
            Assert.Equal(ModelManifest.Sha256Of(Path.Combine(tmp.Path, "src", f.Path)), f.Sha256);
        Assert.Equal(Repo, result.Manifest.Source);
        Assert.StartsWith(Repo + "@sha256:", result.Manifest.ModelId);
        Assert.Contains(progress, p => p.Phase == "Downloading" && p.BytesDone == entry.TotalSize);
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(installer.ModelsRoot), e => Path.GetFileName(e).StartsWith('.'));

        // A second run downloads nothing: it verifies the recorded hashes.
        var before = server.Requests.Count;
        Assert.Equal(InstallOutcome.AlreadyInstalled, installer.InstallFromCatalog(entry, server.BaseUrl, false, null, CancellationToken.None).Outcome);
        Assert.Equal(before, server.Requests.Count);
        using var model = new ModelRegistry(installer.ModelsRoot).Open("tiny-clip");
        Assert.Equal(TinyClip.Dim, model.EmbedText("red").Length);
    }

    [Fact]
    public void A_dropped_connection_is_resumed_with_a_Range_request_and_gives_identical_bytes()
    {
        using var tmp = new TempFolder("resume");
        using var server = new LocalFileServer();
        var entry = Serve(server, Path.Combine(tmp.Path, "src"));
        var vision = $"/{Repo}/resolve/main/onnx/vision_model.onnx";
        server.CutAfter[vision] = 20;
        var installer = new ModelInstaller(Path.Combine(tmp.Path, "models"));
        installer.InstallFromCatalog(entry, server.BaseUrl, false, null, CancellationToken.None);

        var requests = server.Requests.Where(r => r.Path == vision).ToList();
        Assert.Equal(2, requests.Count);
        Assert.Null(requests[0].Range);
        Assert.Equal(206, requests[1].Status);
        Assert.StartsWith("bytes=", requests[1].Range);
        Assert.Equal(File.ReadAllBytes(Path.Combine(tmp.Path, "src", "onnx", "vision_model.onnx")), File.ReadAllBytes(Path.Combine(installer.ModelsRoot, "tiny-clip", "onnx", "vision_model.onnx")));
    }

    [Fact]
    public void An_interrupted_install_resumes_on_the_next_run()
    {
        using var tmp = new TempFolder("resume2");
        using var server = new LocalFileServer();
        var entry = Serve(server, Path.Combine(tmp.Path, "src"));
        var installer = new ModelInstaller(Path.Combine(tmp.Path, "models"), new ModelDownloader());
        // The first run stops (as on Ctrl+C) once the first bytes of the text model arrived.
        using var stop = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => installer.InstallFromCatalog(entry, server.BaseUrl, false,
            p => { if (p.File == "onnx/text_model.onnx") stop.Cancel(); }, stop.Token));
        Assert.Empty(new ModelRegistry(installer.ModelsRoot).Installed());
        var staged = Path.Combine(installer.ModelsRoot, ".tiny-clip.partial");
        Assert.True(File.Exists(Path.Combine(staged, "onnx", "vision_model.onnx")));

        var visionRequests = server.Requests.Count(r => r.Path.EndsWith("vision_model.onnx"));
        installer.InstallFromCatalog(entry, server.BaseUrl, false, null, CancellationToken.None);
        Assert.Equal(visionRequests, server.Requests.Count(r => r.Path.EndsWith("vision_model.onnx")));
        Assert.Single(new ModelRegistry(installer.ModelsRoot).Installed());
        Assert.False(Directory.Exists(staged));
    }

    [Fact]
    public void A_file_far_from_its_catalog_size_or_a_missing_file_is_refused()
    {
        using var tmp = new TempFolder("size");
        using var server = new LocalFileServer();
        var entry = Serve(server, Path.Combine(tmp.Path, "src"), sizeSlack: 1_000_000);
        var installer = new ModelInstaller(Path.Combine(tmp.Path, "models"));
        Assert.Equal(ErrorIds.ModelSizeMismatch, Assert.Throws<MediaTaggerException>(() => installer.InstallFromCatalog(entry, server.BaseUrl, false, null, CancellationToken.None)).ErrorId);

        var missing = new CatalogEntry { Name = "gone", Repo = "test/gone", Files = [new CatalogFile { Path = "onnx/vision_model.onnx", Size = 10 }] };
        var ex = Assert.Throws<MediaTaggerException>(() => installer.InstallFromCatalog(missing, server.BaseUrl, false, null, CancellationToken.None));
        Assert.Equal(ErrorIds.ModelDownloadFailed, ex.ErrorId);
        Assert.Contains("404", ex.Message);
        Assert.Empty(new ModelRegistry(installer.ModelsRoot).Installed());
    }

    [Fact]
    public void The_shipped_catalog_lists_the_required_models_with_Hugging_Face_urls()
    {
        var catalog = ModelCatalog.Load(Path.Combine(SharedData.RepoRoot!, "models", "catalog.json"));
        Assert.Equal("clip-vit-base-patch32", catalog.Default!.Name);
        foreach (var repo in new[] { "Xenova/clip-vit-base-patch32", "Xenova/clip-vit-base-patch16", "Xenova/clip-vit-large-patch14", "immich-app/ViT-B-32__openai" })
        {
            var entry = Assert.Single(catalog.Models, m => m.Repo == repo);
            Assert.True(entry.Dimension is 512 or 768);
            Assert.All(entry.Files, f =>
            {
                Assert.Equal($"https://huggingface.co/{repo}/resolve/main/{f.Path}", f.Url);
                Assert.True(f.Size > 0);
                Assert.Equal(f.Url, ModelCatalog.UrlOf(entry, f, null).ToString());
            });
            Assert.Contains(entry.Files, f => f.Path.EndsWith("model.onnx"));
        }
        var immich = catalog.Models.Single(m => m.Layout == "immich");
        Assert.Equal(["textual/model.onnx", "textual/tokenizer.json", "visual/model.onnx", "visual/preprocess_cfg.json"], immich.Files.Select(f => f.Path).Order());
        Assert.Equal("http://mirror.local/Xenova/clip-vit-base-patch32/resolve/main/vocab.json",
            ModelCatalog.UrlOf(catalog.Default, catalog.Default.Files.Single(f => f.Path == "vocab.json"), "http://mirror.local/").ToString());
    }
}
