using MediaTagger.Core.Library;
using MediaTagger.Core.Store;

namespace MediaTagger.Core.Tests.Search;

/// <summary>A library with a catalog and an embedding store written by the real store writer.</summary>
sealed class SearchFixture : IDisposable
{
    public const string ModelName = "testmodel";
    public const string ModelId = "test/model@1";
    public const int Dim8 = 8;

    readonly TempFolder _folder = new("search");

    public SearchFixture(int dim = 8)
    {
        Dim = dim;
        Library = MediaLibrary.Open(_folder.Path);
        Store = EmbeddingStore.OpenOrCreate(Library, ModelName, ModelId, dim, "none");
    }

    public int Dim { get; }
    public MediaLibrary Library { get; }
    public EmbeddingStore Store { get; }
    public string StoreFolder => EmbeddingStore.FolderFor(Library, ModelName);
    public StoreLocation Location => new(Library, ModelName);

    /// <summary>Catalogs a file (created empty) and returns its asset.</summary>
    public MediaAsset AddAsset(string relativePath, MediaType type = MediaType.Image)
    {
        var full = _folder.File(relativePath);
        var asset = MediaAsset.Create(Library, full, type, 1, DateTime.UtcNow);
        AssetCatalog.Update(Library, c => { c.Set(asset); return true; });
        return asset;
    }

    /// <summary>Stores vectors (normalised here) for keys, each with a new stamp (as if its rep had changed).</summary>
    public void Embed(params (string Key, float[] Vector)[] rows) =>
        Store.Append(rows.Select(r => new StoreRow(r.Key, Guid.NewGuid().ToString("N"), Normalize(r.Vector))).ToList());

    public static float[] Normalize(float[] v)
    {
        var n = MathF.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / n).ToArray();
    }

    /// <summary>A unit vector at <paramref name="angle"/> radians from axis 0 towards axis 1 of a <paramref name="dim"/>-d space.</summary>
    public static float[] At(double angle, int dim = 8)
    {
        var v = new float[dim];
        v[0] = (float)Math.Cos(angle);
        v[1] = (float)Math.Sin(angle);
        return v;
    }

    public static float[] Axis(int axis, int dim = 8)
    {
        var v = new float[dim];
        v[axis] = 1;
        return v;
    }

    public void Dispose() => _folder.Dispose();
}
