using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Models;
using MediaTagger.Core.Reps;
using MediaTagger.Core.Search;
using MediaTagger.Core.Store;
using MediaTagger.TestSupport;

namespace MediaTagger.Core.Tests.Embeddings;

public sealed class EmbeddingIndexerTests : IDisposable
{
    readonly TempFolder _tmp = new("idx");
    readonly MediaLibrary _library;
    readonly IEmbeddingModel _model;

    public EmbeddingIndexerTests()
    {
        _library = MediaLibrary.Open(Directory.CreateDirectory(Path.Combine(_tmp.Path, "lib")).FullName);
        var installer = new ModelInstaller(Path.Combine(_tmp.Path, "models"));
        installer.InstallFromFolder(TinyClip.WriteHuggingFace(Path.Combine(_tmp.Path, "tiny")), null, false, null, CancellationToken.None);
        _model = new ModelRegistry(installer.ModelsRoot).Open("tiny");
    }

    public void Dispose()
    {
        _model.Dispose();
        _tmp.Dispose();
    }

    /// <summary>An asset of the library whose rep(s) are the given pictures, as New-MediaRep leaves them.</summary>
    MediaRep Asset(string name, params string[] frames)
    {
        var path = Path.Combine(_library.Root, name);
        File.Copy(frames[0], path, overwrite: true);
        var asset = MediaAsset.Create(_library, path, frames.Length > 1 ? MediaType.Video : MediaType.Image, new FileInfo(path).Length, File.GetLastWriteTimeUtc(path));
        Directory.CreateDirectory(_library.RepsPath);
        for (var i = 0; i < frames.Length; i++) File.Copy(frames[i], Path.Combine(_library.RepsPath, RepInfo.FileName(asset.Id, i + 1)), overwrite: true);
        return new MediaRep(asset, new RepInfo { Frames = frames.Length, Size = 512 });
    }

    StoreLocation At => new(_library, "tiny");

    StoreSnapshot Snapshot() => StoreSnapshot.Open(At, withStamps: true)!;

    /// <summary>The live rows as search loads them (every row checked on the way).</summary>
    (string[] Keys, float[][] Rows) Vectors()
    {
        var store = ResidentStore.Load(At);
        try { return (store.Keys.ToArray(), Enumerable.Range(0, store.RowCount).Select(i => store.Row(i).ToArray()).ToArray()); }
        finally { store.Release(); }
    }

    (List<EmbeddingResult> Done, List<ItemError> Errors) Run(IEnumerable<MediaAsset> assets, bool force = false, int batch = 2, CancellationToken ct = default)
    {
        var done = new List<EmbeddingResult>();
        var errors = new List<ItemError>();
        new EmbeddingIndexer(_model, batch, force).Run(assets, r => { lock (done) done.Add(r); }, e => { lock (errors) errors.Add(e); }, ct);
        return (done, errors);
    }

    [Fact]
    public void Embeds_real_photos_into_a_store_that_reloads_with_the_same_vectors_and_skips_current_ones()
    {
        var photos = TestImages.Photos(5);
        var assets = photos.Select((p, i) => Asset($"photo{i}{Path.GetExtension(p)}", p)).ToList();
        var (done, errors) = Run(assets);
        Assert.Empty(errors);
        Assert.Equal(5, done.Count(d => d.Status == EmbeddingStatus.Embedded));

        var store = Snapshot();
        Assert.Equal((TinyClip.Dim, 5, _model.ModelId), (store.Meta.Dim, store.Live.Count, store.Meta.ModelId));
        Assert.Equal(_model.Preprocessing, store.Meta.Preprocessing);
        Assert.Equal(5L * TinyClip.Dim * 4, new FileInfo(store.DataPath).Length);
        var (keys, vectors) = Vectors();
        var direct = _model.EmbedImages(assets.Select(a => a.RepPath!).ToList());
        for (var i = 0; i < assets.Count; i++)
        {
            var row = Array.IndexOf(keys, assets[i].Id);
            Assert.True(row >= 0);
            Assert.Equal(direct[i], vectors[row]);
        }

        var (again, _) = Run(assets);
        Assert.All(again, r => Assert.Equal(EmbeddingStatus.Current, r.Status));
        Assert.Equal(5, Snapshot().Rows);

        // A re-rendered rep is embedded again; -Force embeds everything again.
        File.Copy(TestImages.Coloured(_tmp.Path, "red"), assets[0].RepPath!, overwrite: true);
        var (changed, _) = Run(assets);
        Assert.Single(changed, r => r.Status == EmbeddingStatus.Embedded && r.Asset == assets[0]);
        var (forced, _) = Run(assets, force: true);
        Assert.All(forced, r => Assert.Equal(EmbeddingStatus.Embedded, r.Status));
        Assert.Equal(5, Vectors().Keys.Length);
        // Every rep rendered again: every row superseded, past a quarter of the store, so the run compacts it.
        var blue = TestImages.Coloured(_tmp.Path, "blue");
        foreach (var a in assets) File.Copy(blue, a.RepPath!, overwrite: true);
        var (rerendered, _) = Run(assets);
        Assert.All(rerendered, r => Assert.Equal(EmbeddingStatus.Embedded, r.Status));
        Assert.Equal((5, 5, 0), (Snapshot().Live.Count, Snapshot().Rows, Snapshot().Superseded));
    }

    [Fact]
    public void Video_frames_get_one_row_each_and_missing_or_broken_reps_are_one_error_each()
    {
        var red = TestImages.Coloured(_tmp.Path, "red");
        var blue = TestImages.Coloured(_tmp.Path, "blue");
        var video = Asset("clip.mp4", red, blue, red);
        // Plain assets: their reps come from the library's rep index (none recorded for the first, a failure for the second).
        var noRep = Asset("norep.jpg", red).ToAsset();
        var failedRep = Asset("failed.jpg", red).ToAsset();
        RepIndex.Record(_library, [(failedRep.Id, new RepInfo { ErrorId = "MediaRepDecodeFailed", Error = "corrupt" })]);
        var broken = Asset("broken.jpg", red);
        File.WriteAllText(broken.RepPath!, "not a jpeg");
        var fine = Asset("fine.jpg", blue);

        var (done, errors) = Run([video, noRep, failedRep, broken, fine], batch: 2);
        Assert.Equal(["clip.mp4", "fine.jpg"], done.Select(d => d.Asset.RelativePath).Order());
        Assert.Equal(3, done.Single(d => d.Asset == video).Frames);
        Assert.Equal(2, errors.Count(e => e.ErrorId == ErrorIds.EmbeddingNoRep));
        Assert.Contains(errors, e => e.ErrorId == ErrorIds.EmbeddingNoRep && e.Message.Contains("New-MediaRep"));
        Assert.Single(errors, e => e.ErrorId == ErrorIds.EmbeddingRepUnreadable && (string)e.Target! == broken.Path);

        Assert.Equal(new[] { video.Id, video.Id + "#2", video.Id + "#3", fine.Id }.Order(StringComparer.Ordinal), Snapshot().Live.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((video.Id, 2), EmbeddingStore.ParseKey(video.Id + "#2"));
        var (keys, vectors) = Vectors();
        var text = _model.EmbedText("red");
        float Score(string key) => VectorMath.Cosine(text, vectors[Array.IndexOf(keys, key)]);
        Assert.True(Score(video.Id) > Score(video.Id + "#2"));
    }

    [Fact]
    public void After_a_crash_mid_batch_the_next_run_cuts_the_uncommitted_rows_and_resumes()
    {
        var photos = TestImages.Photos(4);
        var assets = photos.Select((p, i) => Asset($"p{i}.jpg", p)).ToList();
        Run(assets.Take(2));
        var before = Snapshot();
        var committed = new FileInfo(before.DataPath).Length;
        // A crash after rows were appended and part of their index lines written, before the commit line.
        File.AppendAllText(before.DataPath, new string('x', 3 * TinyClip.Dim * 4 + 5));
        File.AppendAllText(before.IndexPath!, $"{{\"key\":\"{assets[2].Id}\",\"row\":2,\"stamp\":\"1:2\",\"sum\":\"0000000000000000\"}}\n{{\"key\":\"{assets[3].Id[..9]}");

        Assert.Equal(2, Snapshot().Live.Count);
        var (done, errors) = Run(assets);
        Assert.Empty(errors);
        Assert.Equal(2, done.Count(d => d.Status == EmbeddingStatus.Embedded));
        Assert.Equal(2, done.Count(d => d.Status == EmbeddingStatus.Current));
        Assert.Equal(committed * 2, new FileInfo(before.DataPath).Length);
        var (keys, vectors) = Vectors();
        Assert.Equal(_model.EmbedImages([assets[2].RepPath!])[0], vectors[Array.IndexOf(keys, assets[2].Id)]);
        Assert.DoesNotContain("\"0000000000000000\"", File.ReadAllText(before.IndexPath!));
    }

    [Fact]
    public void Cancelling_keeps_every_committed_batch_readable()
    {
        var red = TestImages.Coloured(_tmp.Path, "red");
        var assets = Enumerable.Range(0, 12).Select(i => Asset($"r{i}.jpg", red)).ToList();
        using var cts = new CancellationTokenSource();
        var done = new List<EmbeddingResult>();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new EmbeddingIndexer(_model, 2).Run(assets, r => { lock (done) { done.Add(r); if (done.Count == 4) cts.Cancel(); } }, _ => { }, cts.Token));
        var stored = Snapshot().Live.Count;
        Assert.True(stored >= 4 && stored < 12, $"count {stored}");
        var (resumed, _) = Run(assets);
        Assert.Equal(stored, resumed.Count(r => r.Status == EmbeddingStatus.Current));
        Assert.Equal(12, Snapshot().Live.Count);
    }
}
