using System.Collections.Concurrent;
using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Models;
using MediaTagger.Core.Search;
using MediaTagger.Core.Store;

namespace MediaTagger.Core.Subjects;

/// <summary>A subject with everything ranking it needs, valid while its store lease is held.</summary>
public sealed class SubjectState
{
    internal SubjectState(MediaLibrary library, string model, Subject subject, SubjectExamples examples, ResidentStore? store, AssetCatalog? catalog, SubjectRanker ranker, Faces.FaceLibrary? faces = null)
    {
        Faces = faces;
        Library = library;
        Model = model;
        Subject = subject;
        Examples = examples;
        Store = store;
        Catalog = catalog;
        Ranker = ranker;
    }

    public MediaLibrary Library { get; }
    public string Model { get; }
    public Subject Subject { get; }
    public SubjectExamples Examples { get; }
    /// <summary>The picture embeddings ranked (null for a person, whose faces are in <see cref="Faces"/>).</summary>
    public ResidentStore? Store { get; }
    public AssetCatalog? Catalog { get; }
    public SubjectRanker Ranker { get; }

    /// <summary>A person's faces (null for a thing).</summary>
    public Faces.FaceLibrary? Faces { get; }

    public SubjectBatch NextBatch(int size, CancellationToken cancellationToken = default) => Faces is { } faces
        ? SubjectBatch.From(Ranker, Ranker.RankFaces(faces, Examples.Decided, SubjectBatch.PoolFor(size)), size)
        : SubjectBatch.Next(Ranker, Store!, Catalog!, Examples.Decided, size, cancellationToken: cancellationToken);

    /// <summary>The best <paramref name="k"/> items (faces for a person), decided ones left out unless <paramref name="includeDecided"/>.</summary>
    public List<SubjectCandidate> Rank(int k, bool includeDecided, CancellationToken cancellationToken = default) => Faces is { } faces
        ? Ranker.RankFaces(faces, Examples.Decided, k, includeDecided)
        : Ranker.Rank(Store!, Catalog!, Examples.Decided, k, includeDecided, cancellationToken: cancellationToken);

    /// <summary>The question a review of the next <paramref name="size"/> candidates answers (kept in its record).</summary>
    public Search.QueryRecord Query(int size) => SubjectQuery.For(Library.Root, Subject.Name, Model, Ranker.Mode, size);

    public SubjectStatus Status(double threshold, double? remaining) => SubjectStatus.For(Subject, Examples, Ranker, Model, threshold, remaining);

    /// <summary>A search result for a ranked item: Score is the probability once the subject has learned, else the similarity.</summary>
    public MediaMatch ToMatch(SubjectCandidate candidate, int rank)
    {
        // A person's candidate is a face: the review page shows its crop, and the decision records which face.
        if (candidate.Face is { } face) return new Faces.FaceMatch(face, candidate.Value, rank, Subject.Name) { Model = Model };
        return new MediaMatch(candidate.Asset)
        {
            Score = candidate.Value,
            Rank = rank,
            BestAnchor = Subject.Name,
            BestFrame = candidate.Frame,
            Model = Model,
        };
    }
}

/// <summary>
/// Opens a subject against one library's store of one model and trains its ranking (automatically, every time: the
/// decisions may have changed since, and a few hundred examples train in well under a second).
/// </summary>
public sealed class SubjectSession
{
    /// <summary>Anchor files outside the library, embedded once per model and file version in this process.</summary>
    static readonly ConcurrentDictionary<string, float[][]> FileVectors = new(StringComparer.Ordinal);

    public required MediaLibrary Library { get; init; }

    /// <summary>Store (model) name under data/embeddings/.</summary>
    public required string Model { get; init; }

    /// <summary>Opens the named model (its identity is checked against the store; it embeds anchor files outside the library).</summary>
    public required Func<string, IEmbeddingModel> OpenModel { get; init; }

    /// <summary>The resident copy of a store (the module keeps one per store between commands).</summary>
    public required Func<StoreLocation, ResidentStoreSlot> Slots { get; init; }

    /// <exception cref="MediaTaggerException">No such subject, no store or catalog, or no usable positive example.</exception>
    public T Run<T>(string name, Func<SubjectState, T> work, Action<ItemError> onError, CancellationToken cancellationToken = default)
    {
        var subject = SubjectStore.Get(Library, name);
        if (subject.Kind == SubjectKind.Person) return RunPerson(subject, work, onError);
        var location = new StoreLocation(Library, Model);
        if (!StoreSnapshot.Exists(location))
            throw new MediaTaggerException(ErrorIds.SearchStoreMissing,
                $"The library '{Library.Root}' has no embeddings of the model '{Model}'. Index it first: Get-MediaAsset -Path '{Library.Root}' | New-MediaRep | Add-MediaEmbedding -Model {Model}",
                ErrorKind.ObjectNotFound, location.Folder);
        var catalog = AssetCatalog.Load(Library);
        if (!catalog.Exists)
            throw new MediaTaggerException(ErrorIds.CatalogMissing, $"The library '{Library.Root}' has not been scanned; run Get-MediaAsset -Path '{Library.Root}' first.", ErrorKind.ObjectNotFound, Library.Root);
        // As for a search: the store must hold this model's vectors; a model no longer installed still ranks by the
        // stored vectors, and only anchor files outside the library, which must be embedded, then fail.
        IEmbeddingModel? model = null;
        MediaTaggerException? notInstalled = null;
        try { model = OpenModel(Model); }
        catch (MediaTaggerException ex) when (ex.ErrorId == ErrorIds.ModelNotInstalled) { notInstalled = ex; }
        using var lease = Slots(location).Acquire(model?.ModelId, model?.Dimension ?? 0, cancellationToken);
        var store = lease.Store;
        var examples = SubjectExamples.Load(Library, subject, onError);
        var vectors = SubjectVectors.For(examples, store, file => Embed(model ?? throw notInstalled!, file, store, cancellationToken), onError);
        var ranker = SubjectRanker.Train(subject, vectors);
        return work(new SubjectState(Library, Model, subject, examples, store, catalog, ranker));
    }

    /// <summary>The store name a person subject reports as its model: its faces are embedded by the face models.</summary>
    public const string FaceModel = Faces.FaceModelFiles.Name;

    /// <summary>A person ranks on the library's face store (Add-MediaFace), not on a picture store.</summary>
    T RunPerson<T>(Subject subject, Func<SubjectState, T> work, Action<ItemError> onError)
    {
        var faces = Faces.FaceLibrary.Open(Library);
        var examples = SubjectExamples.LoadPerson(Library, subject, faces, onError);
        var ranker = SubjectRanker.Train(subject, SubjectVectors.ForFaces(examples, faces));
        return work(new SubjectState(Library, FaceModel, subject, examples, null, null, ranker, faces));
    }

    static float[][] Embed(IEmbeddingModel model, string file, ResidentStore store, CancellationToken cancellationToken)
    {
        var info = new FileInfo(file);
        if (!info.Exists) throw new MediaTaggerException(ErrorIds.SubjectExampleMissing, $"The anchor '{file}' no longer exists.", ErrorKind.ObjectNotFound, file);
        var key = $"{store.Meta.ModelId}\n{info.FullName}\n{info.Length}\n{info.LastWriteTimeUtc.Ticks}";
        if (FileVectors.TryGetValue(key, out var cached)) return cached;
        // The anchor as it is: the classifier learns its own invariances from the decisions.
        return FileVectors[key] = AnchorEmbedder.Embed(model, file, [AnchorView.Original], cancellationToken).Select(v => v.Vector).ToArray();
    }
}
