using System.Collections.Concurrent;

namespace MediaTagger.Core.Common;

/// <summary>
/// Parsed files kept while the file's size and time are unchanged, so consecutive commands of one session do not
/// re-parse tens of megabytes of JSON. Values must be immutable: every caller gets the same instance.
/// </summary>
public sealed class FileStampCache<T> where T : class
{
    readonly ConcurrentDictionary<string, (long Length, DateTime Time, T Value)> _cache = new(StringComparer.Ordinal);

    /// <summary>The cached value for <paramref name="info"/> when it is current and <paramref name="accept"/> agrees; else null.</summary>
    public T? Get(FileInfo info, Func<T, bool>? accept = null) =>
        _cache.TryGetValue(info.FullName, out var hit) && hit.Length == info.Length && hit.Time == info.LastWriteTimeUtc && (accept is null || accept(hit.Value))
            ? hit.Value : null;

    /// <summary>Remembers <paramref name="value"/> as what <paramref name="file"/> holds now.</summary>
    public void Set(string file, T value)
    {
        var info = new FileInfo(file);
        _cache[info.FullName] = (info.Length, info.LastWriteTimeUtc, value);
    }

    public void Forget(string file) => _cache.TryRemove(Path.GetFullPath(file), out _);
}
