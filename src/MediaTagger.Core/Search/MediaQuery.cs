using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Reps;
using MediaTagger.Core.Models;
using MediaTagger.Core.Profiles;
using MediaTagger.Core.Store;

namespace MediaTagger.Core.Search;

/// <summary>The matches of a query and its saved form.</summary>
public sealed record QueryOutcome(List<MediaMatch> Matches, QueryRecord Record);

/// <summary>
/// One search over one library's store: resolves the store and its defaults, turns anchors or prompts into vectors
/// (stored vectors when the asset is already embedded, else embedded on the fly with the store's own model), scans,
/// and describes the query for <c>last_query.json</c>.
/// </summary>
public sealed class MediaQuery
{
    public required MediaLibrary Library { get; init; }

    /// <summary>Model name: the store folder under data/embeddings/ and the model that embeds anchors and prompts.</summary>
    public required string Model { get; init; }

    /// <summary>Opens the named model (only called when something must be embedded).</summary>
    public required Func<string, IEmbeddingModel> OpenModel { get; init; }

    /// <summary>The resident copy of a store (the module keeps one per store folder between queries).</summary>
    public required Func<StoreLocation, ResidentStoreSlot> Slots { get; init; }

    public MediaProfile? Profile { get; init; }
    public int? K { get; init; }
    public double? MinScore { get; init; }

    /// <summary>Extra filter (see <see cref="SearchOptions.Include"/>).</summary>
    public Func<MediaAsset, bool>? Include { get; init; }

    public int? MaxThreads { get; init; }

    /// <summary>The store stamp and model read ahead for this query, when the caller started that (see <see cref="QueryReadAhead"/>).</summary>
    public QueryReadAhead? ReadAhead { get; init; }

    /// <summary>Told when a query runs with less than was asked (anchor views without the model that makes them).</summary>
    public Action<string>? OnWarning { get; init; }

    /// <summary>Search by example images: score = best cosine similarity over the anchors and their views.</summary>
    /// <param name="views">Which views of each anchor (and negative anchor) are embedded; see <see cref="Search.AnchorViews"/>.</param>
    public QueryOutcome FindSimilar(IReadOnlyList<Anchor> anchors, IReadOnlyList<Anchor> negativeAnchors, AnchorViews views, Action<ItemError> onError, CancellationToken cancellationToken = default)
    {
        var limits = (Profile?.QueryDefaults ?? QueryDefaults.BuiltIn).ImageFor(Model);
        return Run(limits, cancellationToken, (store, catalog, model) =>
        {
            var positives = AnchorVectors(anchors, store, catalog, model, AnchorViewSets.Of(views), onError, cancellationToken);
            if (positives.Count == 0)
                throw new MediaTaggerException(ErrorIds.SearchNoQuery, "None of the anchors could be used (see the errors above); nothing was searched.", ErrorKind.InvalidArgument);
            var negatives = AnchorVectors(negativeAnchors, store, catalog, model, AnchorViewSets.Of(views), onError, cancellationToken);
            return (positives, negatives, false, record =>
            {
                record.Kind = "similar";
                record.Anchors = anchors.Select(a => a.Label).ToList();
                record.NegativeAnchors = negativeAnchors.Select(a => a.Label).ToList();
            });
        });
    }

    /// <summary>Search by description: score = best cosine similarity over the prompts (needs a model with a text tower).</summary>
    public QueryOutcome FindByText(IReadOnlyList<string> prompts, IReadOnlyList<string> negativePrompts, CancellationToken cancellationToken = default)
    {
        if (prompts.Count == 0)
            throw new MediaTaggerException(ErrorIds.SearchNoQuery, "Give at least one prompt with -Text, or a label with -Label.", ErrorKind.InvalidArgument);
        var limits = (Profile?.QueryDefaults ?? QueryDefaults.BuiltIn).Text;
        return Run(limits, cancellationToken, (store, catalog, model) =>
        {
            var m = model.Value;
            if (!m.SupportsText)
                throw new MediaTaggerException(ErrorIds.ModelHasNoTextTower,
                    $"The model '{Model}' only understands images, so it cannot search by text. Install a CLIP model (Install-MediaTaggerModel -Name clip-vit-base-patch32), " +
                    $"index the library with it (Add-MediaEmbedding -Library '{Library.Root}' -Model clip-vit-base-patch32) and search with -Model clip-vit-base-patch32.",
                    ErrorKind.NotInstalled, Model);
            List<QueryVector> Embed(IReadOnlyList<string> texts) => texts.Select(t => new QueryVector(t, m.EmbedText(t))).ToList();
            return (Embed(prompts), Embed(negativePrompts), true, record =>
            {
                record.Kind = "text";
                record.Text = prompts.ToList();
                record.NegativeText = negativePrompts.ToList();
            });
        });
    }

    /// <summary>Prompts from -Text plus the profile's templates applied to each label ("a photo of {label}").</summary>
    public static List<string> Prompts(IEnumerable<string> text, IEnumerable<string> labels, MediaProfile? profile)
    {
        var templates = (profile ?? new MediaProfile()).PromptTemplates;
        return text.Concat(labels.SelectMany(l => templates.Select(t => t.Replace("{label}", l, StringComparison.OrdinalIgnoreCase))))
            .Where(p => !string.IsNullOrWhiteSpace(p)).Distinct(StringComparer.Ordinal).ToList();
    }

    delegate (List<QueryVector> Positives, List<QueryVector> Negatives, bool PromptLabels, Action<QueryRecord> Describe)
        Prepare(ResidentStore store, AssetCatalog catalog, Lazy<IEmbeddingModel> model);

    QueryOutcome Run(QueryLimits limits, CancellationToken cancellationToken, Prepare prepare)
    {
        var k = K ?? (limits.K > 0 ? limits.K : 700);
        var minScore = MinScore ?? limits.MinScore;
        var location = new StoreLocation(Library, Model);
        var folder = location.Folder;
        if (!StoreSnapshot.Exists(location))
            throw new MediaTaggerException(ErrorIds.SearchStoreMissing,
                $"The library '{Library.Root}' has no embeddings of the model '{Model}'{OtherStores()}. Index it first: " +
                $"Get-MediaAsset -Path '{Library.Root}' | New-MediaRep | Add-MediaEmbedding -Model {Model}",
                ErrorKind.ObjectNotFound, folder);
        // The catalog and the vectors are both needed and both slow to read the first time: read them side by side.
        // Once the store is resident (a warm query) the catalog is read on this thread: it is then a cache hit, and
        // handing it to a pool thread and waiting costs more than the read, most of all on a busy machine.
        var slot = Slots(location);
        var catalogLoad = slot.IsLoaded ? Task.FromResult(AssetCatalog.Load(Library)) : Task.Run(() => AssetCatalog.Load(Library), cancellationToken);
        StoreLease lease;
        IEmbeddingModel? model = null;
        MediaTaggerException? notInstalled = null;
        try
        {
            // Whatever the query (stored anchors, files, text), the store must hold this model's vectors: checked before
            // any row is read. A model no longer installed can still search with stored anchors (the store's own header
            // binds its rows to the model that wrote them); anything that must be embedded then fails on it.
            try { model = ReadAhead?.ModelFor(Model) ?? OpenModel(Model); }
            catch (MediaTaggerException ex) when (ex.ErrorId == ErrorIds.ModelNotInstalled) { notInstalled = ex; }
            lease = slot.Acquire(model?.ModelId, model?.Dimension ?? 0, cancellationToken, ReadAhead?.StampFor(folder));
        }
        catch
        {
            catalogLoad.ContinueWith(t => t.Exception, TaskScheduler.Default); // observed: its own failure no longer matters
            throw;
        }
        using var _ = lease;
        var catalog = catalogLoad.GetAwaiter().GetResult();
        if (!catalog.Exists)
            throw new MediaTaggerException(ErrorIds.CatalogMissing, $"The library '{Library.Root}' has not been scanned; run Get-MediaAsset -Path '{Library.Root}' first.", ErrorKind.ObjectNotFound, Library.Root);
        var store = lease.Store;
        if (store.RowCount == 0)
            throw new MediaTaggerException(ErrorIds.SearchStoreEmpty,
                $"The store of '{Model}' in '{Library.Root}' holds no vectors yet. Run Get-MediaAsset -Path '{Library.Root}' | New-MediaRep | Add-MediaEmbedding -Model {Model}",
                ErrorKind.ObjectNotFound, folder);
        var (positives, negatives, promptLabels, describe) = prepare(store, catalog, new Lazy<IEmbeddingModel>(() => model ?? throw notInstalled!));
        var options = new SearchOptions { K = k, MinScore = minScore, Include = Include, MaxThreads = MaxThreads, Mean = FeatureStatistics.For(store.Meta.ModelId)?.Mean };
        var matches = MediaSearch.Run(store, catalog, positives, negatives, options, promptLabels, Model, cancellationToken);
        var record = MediaSearch.ToRecord(matches, r =>
        {
            describe(r);
            r.Library = Library.Root;
            r.Model = Model;
            r.K = k;
            r.MinScore = minScore;
            r.Profile = Profile?.Name;
        });
        return new QueryOutcome(matches, record);
    }

    List<QueryVector> AnchorVectors(IReadOnlyList<Anchor> anchors, ResidentStore store, AssetCatalog catalog, Lazy<IEmbeddingModel> model,
        IReadOnlyList<AnchorView> views, Action<ItemError> onError, CancellationToken cancellationToken)
    {
        var vectors = new List<QueryVector>();
        var stored = MediaSearch.StoredVectors(store, anchors.Where(a => a.AssetId is not null).Select(a => a.AssetId!).ToList(),
            anchors.Where(a => a is { AssetId: not null, Frame: not null }).DistinctBy(a => a.AssetId!, StringComparer.OrdinalIgnoreCase).ToDictionary(a => a.AssetId!, a => a.Frame!.Value, StringComparer.OrdinalIgnoreCase));
        var extraViews = views.Where(v => v != AnchorView.Original).ToList();
        var viewsWarned = false;
        foreach (var anchor in anchors)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string? file;
            IReadOnlyList<string> reps = [];
            var wanted = views;
            if (anchor.AssetId is { } id)
            {
                if (stored.TryGetValue(id, out var rows))
                {
                    vectors.AddRange(rows.Select(v => new QueryVector(anchor.Label, v, AnchorView.Original)));
                    if (extraViews.Count == 0) continue; // stored and wanted as it is: nothing to read
                }
                var asset = catalog.FindById(id);
                // Catalogued: its rep frames when rendered (what stored vectors are computed from), else its file.
                reps = asset is null ? [] : RepIndex.FramePathsOf(asset).Where(File.Exists).ToList();
                // A video result stands for the frame that matched: its views come from that frame's rep only.
                if (anchor.Frame is { } frame) reps = reps.Count >= frame ? [reps[frame - 1]] : [];
                file = asset?.Path ?? anchor.FilePath;
                if (rows is not null)
                {
                    // A stored anchor needs no model; its views do. Without a usable model the query still runs, on the stored vectors.
                    if (ModelUnavailable(model) is { } reason)
                    {
                        if (!viewsWarned) OnWarning?.Invoke($"Anchors already in the store are matched as they are only (no mirrored or turned views): {reason}");
                        viewsWarned = true;
                        continue;
                    }
                    if (reps.Count != rows.Count)
                    {
                        if (anchor.Frame is not null) continue; // the frame's rep is gone: the file would give every frame's views
                        reps = []; // re-rendered or gone since: views come from the file
                    }
                    wanted = extraViews;
                }
                if (file is null)
                {
                    onError(new ItemError(ErrorIds.SearchAnchorNotFound, $"No asset of the library '{catalog.Library.Root}' has the id '{id}'.", anchor.Label, ErrorKind.ObjectNotFound));
                    continue;
                }
            }
            else file = anchor.FilePath!;
            if (reps.Count == 0 && !File.Exists(file))
            {
                onError(new ItemError(ErrorIds.SearchAnchorNotFound, $"The anchor '{anchor.Label}' does not exist.", anchor.Label, ErrorKind.ObjectNotFound));
                continue;
            }
            if (reps.Count == 0 && FileKind.Check(file) is { } notRegular)
            {
                onError(notRegular.ToItemError() with { Target = anchor.Label });
                continue;
            }
            var m = model.Value; // a missing or mismatched model stops the query, it is not one bad anchor
            try
            {
                var embedded = reps.Count > 0 ? AnchorEmbedder.EmbedViews(m, reps, wanted, cancellationToken) : AnchorEmbedder.Embed(m, file, wanted, cancellationToken);
                vectors.AddRange(embedded.Select(v => new QueryVector(anchor.Label, v.Vector, v.View)));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                onError(new ItemError(ErrorIds.SearchAnchorUnreadable, $"The anchor '{anchor.Label}' cannot be read as an image or video: {ex.Message}", anchor.Label, ErrorKind.InvalidData, ex));
            }
        }
        return vectors;
    }

    /// <summary>Why the store's model cannot be used (no longer installed), or null when it can.</summary>
    static string? ModelUnavailable(Lazy<IEmbeddingModel> model)
    {
        try
        {
            _ = model.Value;
            return null;
        }
        catch (MediaTaggerException ex) when (ex.ErrorId == ErrorIds.ModelNotInstalled)
        {
            return ex.Message;
        }
    }

    string OtherStores()
    {
        var others = StoreNames(Library);
        return others.Count == 0 ? "" : $" (it has: {string.Join(", ", others)})";
    }

    /// <summary>The image-embedding models that have a store in the library (face vectors are searched by Find-MediaFace only).</summary>
    public static List<string> StoreNames(MediaLibrary library) =>
        Directory.Exists(library.EmbeddingsRoot)
            ? Directory.EnumerateDirectories(library.EmbeddingsRoot).Select(d => Path.GetFileName(d)).Where(n => HasImageStore(library, n)).Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>True when <paramref name="model"/> names an image-embedding store of the library (not the face store).</summary>
    public static bool HasImageStore(MediaLibrary library, string model) => model != StoreLocation.FacesModel && EmbeddingStore.Exists(library, model);
}
