using System.Text.Json;
using MediaTagger.Core.Common;
using MediaTagger.Core.Library;

namespace MediaTagger.Core.Reps;

/// <summary>
/// The rep state of a library's assets (<c>data/reps.json</c>: asset id → <see cref="RepInfo"/>). The only reader and
/// writer of that file. A loaded index is an immutable snapshot, cached while the file is unchanged.
/// </summary>
public sealed class RepIndex
{
    const int FormatVersion = 1;
    static readonly FileStampCache<RepIndex> Cache = new();

    readonly IReadOnlyDictionary<string, RepInfo> _byId;

    RepIndex(MediaLibrary library, IReadOnlyDictionary<string, RepInfo> byId)
    {
        Library = library;
        _byId = byId;
    }

    public MediaLibrary Library { get; }

    public int Count => _byId.Count;

    public static string FileOf(MediaLibrary library) => Path.Combine(library.DataPath, "reps.json");

    /// <summary>The recorded rep of <paramref name="assetId"/>; null when none was rendered (or tried).</summary>
    public RepInfo? Get(string assetId) => _byId.GetValueOrDefault(assetId);

    /// <summary>
    /// The rep of <paramref name="asset"/>: the one it carries when New-MediaRep emitted it (perhaps not saved yet),
    /// else the one its library recorded; null when there is none or the asset has no store (built by hand).
    /// </summary>
    public static RepInfo? RepOf(MediaAsset asset) => asset switch
    {
        MediaRep r => r.GetRep(),
        _ when string.IsNullOrEmpty(asset.LibraryRoot) || string.IsNullOrEmpty(asset.StorePath) => null,
        _ => Load(MediaLibrary.Open(asset.LibraryRoot, asset.StorePath)).Get(asset.Id),
    };

    /// <summary>The rep files of <paramref name="asset"/> (see <see cref="RepOf"/>); empty when it has no successful rep.</summary>
    public static IReadOnlyList<string> FramePathsOf(MediaAsset asset) => RepOf(asset)?.FramePaths(asset) ?? [];

    /// <summary>Loads the index; an absent file is an empty index.</summary>
    /// <exception cref="MediaTaggerException">The file exists but cannot be read.</exception>
    public static RepIndex Load(MediaLibrary library)
    {
        var file = FileOf(library);
        var info = new FileInfo(file);
        if (!info.Exists) return new RepIndex(library, new Dictionary<string, RepInfo>(StringComparer.OrdinalIgnoreCase));
        if (Cache.Get(info, i => i.Library.Equals(library)) is { } hit) return hit;
        RepIndexFile? data;
        try
        {
            data = Json.Read<RepIndexFile>(file);
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new MediaTaggerException(ErrorIds.RepIndexUnreadable,
                $"The rep index '{file}' cannot be read ({ex.Message}). Delete it and run New-MediaRep again: reps are re-rendered from the originals.",
                ErrorKind.ReadError, file, ex);
        }
        var index = new RepIndex(library, new Dictionary<string, RepInfo>(data?.Reps ?? new Dictionary<string, RepInfo>(), StringComparer.OrdinalIgnoreCase));
        Cache.Set(file, index);
        return index;
    }

    /// <summary>Adds or replaces the reps of <paramref name="reps"/> (asset id, rep) under the store lock, atomically.</summary>
    public static void Record(MediaLibrary library, IEnumerable<(string AssetId, RepInfo Rep)> reps, CancellationToken cancellationToken = default)
    {
        var file = FileOf(library);
        using var held = StoreLock.Acquire(file, cancellationToken: cancellationToken);
        var map = new Dictionary<string, RepInfo>(Load(library)._byId, StringComparer.OrdinalIgnoreCase);
        foreach (var (id, rep) in reps) map[id] = rep;
        var sorted = new SortedDictionary<string, RepInfo>(map, StringComparer.Ordinal);
        Json.Write(file, new RepIndexFile { Version = FormatVersion, Reps = sorted }, Json.Compact);
        Cache.Set(file, new RepIndex(library, map));
    }

    sealed class RepIndexFile
    {
        public int Version { get; set; }
        public IDictionary<string, RepInfo>? Reps { get; set; }
    }
}
