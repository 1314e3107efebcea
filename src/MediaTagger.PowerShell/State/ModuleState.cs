using System.Collections.Concurrent;
using MediaTagger.Core.Library;
using MediaTagger.Core.Profiles;

namespace MediaTagger.PowerShell.State;

/// <summary>
/// Everything the module keeps between commands of one session: the library used last, store overrides,
/// and a thread-safe cache of expensive objects (inference sessions, loaded stores) disposed on Remove-Module.
/// </summary>
public static class ModuleState
{
    static readonly ConcurrentDictionary<string, Lazy<object>> Cache = new(StringComparer.Ordinal);
    static readonly ConcurrentDictionary<string, string> StorePaths = new(MediaLibrary.PathComparer);

    /// <summary>The folder the module was loaded from (it holds the shipped profiles/ and models/).</summary>
    public static string ModuleDirectory { get; } = Path.GetDirectoryName(typeof(ModuleState).Assembly.Location)!;

    /// <summary>Shipped profiles (the module's profiles/ folder) and the user's own.</summary>
    public static ProfileStore Profiles => new(Path.Combine(ModuleDirectory, "profiles"));

    /// <summary>The library the last command worked on; commands without -Library use it.</summary>
    public static MediaLibrary? LastLibrary { get; set; }

    /// <summary>Opens a library, remembering a -StorePath so later commands that name only the root find the same store.</summary>
    public static MediaLibrary OpenLibrary(string root, string? storePath)
    {
        var library = MediaLibrary.Open(root, storePath ?? StorePaths.GetValueOrDefault(MediaLibrary.Open(root).Root));
        if (storePath is not null) StorePaths[library.Root] = library.StorePath;
        LastLibrary = library;
        return library;
    }

    /// <summary>Returns the cached value for <paramref name="key"/>, creating it once even under concurrent callers.</summary>
    public static T GetOrAdd<T>(string key, Func<T> factory) where T : class =>
        (T)Cache.GetOrAdd(key, _ => new Lazy<object>(() => factory(), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    /// <summary>Drops (and disposes) one cached value, e.g. when its files changed on disk.</summary>
    public static void Invalidate(string key)
    {
        if (Cache.TryRemove(key, out var lazy) && lazy.IsValueCreated && lazy.Value is IDisposable d) d.Dispose();
    }

    /// <summary>Disposes every cached object; called when the module is removed.</summary>
    public static void Reset()
    {
        foreach (var key in Cache.Keys.ToList()) Invalidate(key);
        StorePaths.Clear();
        LastLibrary = null;
    }
}
