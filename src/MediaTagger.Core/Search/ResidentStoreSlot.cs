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

    public ResidentStoreSlot(string folder) => Folder = folder;

    public string Folder { get; }

    /// <summary>How many times the vectors were read from disk (for diagnostics and tests).</summary>
    public int LoadCount { get; private set; }

    public StoreLease Acquire(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var stamp = StoreStamp.Read(Folder);
            if (_current is null || _current.Stamp != stamp)
            {
                // Let go of the old copy first when no query holds it: a reload then never needs twice the memory.
                if (_current is { IsShared: false })
                {
                    _current.Release();
                    _current = null;
                }
                var fresh = ResidentStore.Load(Folder, cancellationToken);
                LoadCount++;
                _current?.Release();
                _current = fresh;
            }
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
