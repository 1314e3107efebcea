using System.Collections.Concurrent;
using MediaTagger.Core.Library;

namespace MediaTagger.PowerShell.State;

/// <summary>
/// Everything the module keeps between commands of one session: the library used last, store overrides,
/// and a thread-safe cache of expensive objects (inference sessions, loaded stores) disposed on Remove-Module.
/// </summary>
public static class ModuleState
{
    static readonly ConcurrentDictionary<string, Lazy<object>> Cache = new(StringComparer.Ordinal);
    static readonly ConcurrentDictionary<string, MediaLibrary> Libraries = new(MediaLibrary.PathComparer);
    static readonly Dictionary<string, string> Stamps = new(StringComparer.Ordinal);

    /// <summary>The library the last command worked on; commands without -Library use it.</summary>
    public static MediaLibrary? LastLibrary { get; set; }

    /// <summary>The store folder and model of the session's last search: the next search reads their checks ahead (see <see cref="MediaTagger.Core.Search.QueryReadAhead"/>).</summary>
    internal static SearchTarget? LastSearch { get; set; }

    /// <summary>Libraries this session has worked on; one with a -StorePath outside its root is found only through this list.</summary>
    public static IReadOnlyList<MediaLibrary> KnownLibraries => Libraries.Values.ToList();

    /// <summary>Records <paramref name="library"/> as the one used last (and, by root, for later commands that name only the root).</summary>
    public static MediaLibrary Remember(MediaLibrary library)
    {
        Libraries[library.Root] = library;
        LastLibrary = library;
        return library;
    }

    /// <summary>Returns the cached value for <paramref name="key"/>, creating it once even under concurrent callers.</summary>
    public static T GetOrAdd<T>(string key, Func<T> factory) where T : class =>
        (T)Cache.GetOrAdd(key, _ => new Lazy<object>(() => factory(), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    /// <summary>
    /// Like <see cref="GetOrAdd{T}(string, Func{T})"/>, but the cached value is replaced (the old one disposed) when
    /// <paramref name="stamp"/> differs from the one it was created with: files that changed on disk are reloaded.
    /// </summary>
    public static T GetOrAdd<T>(string key, string stamp, Func<T> factory) where T : class
    {
        lock (Stamps)
        {
            if (Stamps.TryGetValue(key, out var old) && old != stamp) Invalidate(key);
            Stamps[key] = stamp;
        }
        return GetOrAdd(key, factory);
    }

    /// <summary>Drops (and disposes) one cached value, e.g. when its files changed on disk.</summary>
    public static void Invalidate(string key)
    {
        if (Cache.TryRemove(key, out var lazy) && lazy.IsValueCreated && lazy.Value is IDisposable d) d.Dispose();
    }

    /// <summary>Disposes every cached object; called when the module is removed.</summary>
    public static void Reset()
    {
        foreach (var key in Cache.Keys.ToList()) Invalidate(key);
        lock (Stamps) Stamps.Clear();
        Libraries.Clear();
        LastLibrary = null;
        LastSearch = null;
    }
}

/// <summary>A store folder and the model whose vectors it holds.</summary>
internal sealed record SearchTarget(string Folder, string Model);
