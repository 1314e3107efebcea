using MediaTagger.Core.Common;
using MediaTagger.Core.Library;

namespace MediaTagger.Core.Faces;

/// <summary>A library's faces joined with its catalog: what Get-MediaFace lists and the searches read.</summary>
public sealed class FaceLibrary
{
    FaceLibrary(MediaLibrary library, FaceStore store, IReadOnlyList<MediaFace> faces)
    {
        Library = library;
        Store = store;
        Faces = faces;
    }

    public MediaLibrary Library { get; }
    public FaceStore Store { get; }

    /// <summary>Every face of every catalogued asset (assets removed from the catalog are left out).</summary>
    public IReadOnlyList<MediaFace> Faces { get; }

    public static FaceLibrary Open(MediaLibrary library)
    {
        var store = FaceStore.Open(library);
        var catalog = AssetCatalog.Load(library);
        var faces = new List<MediaFace>();
        foreach (var record in store.Records.Values.OrderBy(r => r.AssetId, StringComparer.Ordinal))
        {
            if (catalog.FindById(record.AssetId) is not { } asset) continue;
            for (var i = 0; i < record.Faces.Count; i++)
                faces.Add(new MediaFace(asset, i, record.Faces[i], store.Names.GetValueOrDefault(FaceRecord.FaceId(record.AssetId, i))));
        }
        return new FaceLibrary(library, store, faces);
    }

    public MediaFace? Find(string faceId) => Faces.FirstOrDefault(f => f.FaceId == faceId);

    /// <summary>The faces named <paramref name="name"/> (case-insensitive).</summary>
    public IReadOnlyList<MediaFace> Named(string name) =>
        Faces.Where(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>Names (or un-names, with null) faces; returns the previous names so the caller can undo.</summary>
    public IReadOnlyList<(string FaceId, string? Previous)> SetNames(IEnumerable<string> faceIds, string? name)
    {
        var ids = faceIds.Distinct(StringComparer.Ordinal).ToList();
        var unknown = ids.Where(id => Find(id) is null).ToList();
        if (unknown.Count > 0)
            throw new MediaTaggerException(ErrorIds.FaceNotFound, $"No face {string.Join(", ", unknown.Take(3))} in '{Library.Root}': run Get-MediaFace for the current faces.", ErrorKind.ObjectNotFound, unknown[0]);
        return Store.SetNames(ids.Select(id => (id, name)).ToList());
    }
}
