using MediaTagger.Core.Store;

namespace MediaTagger.Core.Search;

/// <summary>
/// Keeps one store folder's vectors resident between queries and reloads them only when the files changed.
/// Thread-safe; each query holds a <see cref="StoreLease"/> so a reload or dispose never frees rows a scan is reading.
/// </summary>
public sealed class ResidentStoreSlot : IDisposable
{
    readonly object _gate = new();
    ResidentStore? _current;
    bool _disposed;

    public ResidentStoreSlot(StoreLocation location) => Location = location;

    public StoreLocation Location { get; }
    public string Folder => Location.Folder;

    /// <summary>How many times the vectors were read from disk (for diagnostics and tests).</summary>
    public int LoadCount { get; private set; }

    /// <summary>True once a store is resident (it may still be reloaded by the next <see cref="Acquire"/> if its files changed).</summary>
    public bool IsLoaded
    {
        get { lock (_gate) return _current is not null; }
    }

    /// <summary>The store's rows, reloaded when its files changed. With <paramref name="modelId"/>, a store another model built is refused.</summary>
    /// <param name="stamp">The folder's stamp when the caller read it already (see <see cref="QueryReadAhead"/>); else it is read here.</param>
    /// <exception cref="Common.MediaTaggerException">No store, damaged, another model's, or unreadable.</exception>
    public StoreLease Acquire(string? modelId = null, int dimension = 0, CancellationToken cancellationToken = default, StoreStamp? stamp = null)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var onDisk = stamp ?? StoreStamp.Read(Folder);
            if (_current is null || _current.Stamp != onDisk)
            {
                // Let go of the old copy first when no query holds it: a reload then never needs twice the memory.
                if (_current is { IsShared: false })
                {
                    _current.Release();
                    _current = null;
                }
                var fresh = ResidentStore.Load(Location, modelId, dimension, cancellationToken);
                LoadCount++;
                _current?.Release();
                _current = fresh;
            }
            if (!string.IsNullOrEmpty(modelId) && (_current.Dimension != dimension || !string.Equals(_current.Meta.ModelId, modelId, StringComparison.Ordinal)))
                throw StoreErrors.ModelMismatch(Location, _current.Meta.ModelId, _current.Dimension, modelId, dimension);
            _current.TryAddRef();
            return new StoreLease(_current);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _current?.Release();
            _current = null;
        }
    }
}

/// <summary>A query's hold on a resident store; disposing it lets the memory go once no one else holds it.</summary>
public sealed class StoreLease : IDisposable
{
    int _released;

    internal StoreLease(ResidentStore store) => Store = store;

    public ResidentStore Store { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0) Store.Release();
    }
}
