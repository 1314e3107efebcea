using System.Collections.Concurrent;
using System.Diagnostics;
using MediaTagger.Core.Common;
using MediaTagger.Core.Library;

namespace MediaTagger.Core.Reps;

/// <summary>Counts of a batch so far; <see cref="Rate"/> is assets handled per second.</summary>
public sealed record RepBatchProgress(int Done, int Total, int Rendered, int Reused, int Failed, double Rate);

/// <summary>What a finished (or stopped) batch did.</summary>
public sealed record RepBatchResult(int Total, int Rendered, int Reused, int Failed, TimeSpan Elapsed);

/// <summary>
/// Brings the reps of many assets up to date in parallel and records them in each library's rep index: every few
/// seconds while running and once at the end (also when cancelled or failing), so an interrupted run keeps its work.
/// </summary>
public sealed class RepBatch
{
    /// <summary>The least time between two index writes; a large index that is slow to write is written less often.</summary>
    static readonly TimeSpan MinSaveInterval = TimeSpan.FromSeconds(3);

    readonly RepRenderer _renderer;
    readonly ConcurrentQueue<RepResult> _unsaved = new();
    readonly object _saveLock = new();
    readonly Stopwatch _clock = new();
    TimeSpan _lastSave, _saveInterval = MinSaveInterval;
    int _done, _rendered, _reused, _failed;

    public RepBatch(RepOptions options) => _renderer = new RepRenderer(options);

    /// <summary>
    /// Updates the reps of <paramref name="assets"/> (duplicates handled once) on <see cref="RepOptions.ThrottleLimit"/> threads.
    /// <paramref name="onAsset"/> gets a copy of each asset whose rep is ready (in completion order), <paramref name="onError"/>
    /// one error per failed asset. Both are called from worker threads.
    /// </summary>
    /// <exception cref="MediaTaggerException">ffmpeg is missing and a video was met (finished work is saved first).</exception>
    /// <exception cref="OperationCanceledException">Cancelled (finished work is saved first).</exception>
    public RepBatchResult Run(IEnumerable<MediaAsset> assets, Action<MediaRep> onAsset, Action<ItemError> onError,
        Action<RepBatchProgress>? onProgress = null, CancellationToken cancellationToken = default)
    {
        var list = assets.DistinctBy(a => (a.StorePath, a.Id)).ToList();
        // A writing run removes the temp files crashed runs left among the reps.
        foreach (var storePath in list.Select(a => a.StorePath).Distinct(Library.MediaLibrary.PathComparer))
            Common.AtomicFile.SweepDebris(Library.MediaLibrary.RepsFolder(storePath));
        _clock.Restart();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var next = -1;
        Exception? fatal = null;

        void Work()
        {
            while (!stop.IsCancellationRequested)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= list.Count) return;
                try
                {
                    Record(_renderer.Update(list[i], stop.Token), onAsset, onError);
                    onProgress?.Invoke(Progress(list.Count));
                    SaveIfDue();
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    // Missing ffmpeg, an unwritable rep index: nothing more can succeed, so stop the other workers too.
                    Interlocked.CompareExchange(ref fatal, ex, null);
                    stop.Cancel();
                    return;
                }
            }
        }

        var threads = Math.Clamp(_renderer.Options.ThrottleLimit, 1, Math.Max(1, list.Count));
        var workers = Enumerable.Range(0, threads).Select(_ => Task.Factory.StartNew(Work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        try
        {
            Task.WaitAll(workers);
        }
        finally
        {
            Save();
        }
        if (fatal is not null) throw fatal;
        cancellationToken.ThrowIfCancellationRequested();
        return new RepBatchResult(list.Count, _rendered, _reused, _failed, _clock.Elapsed);
    }

    void Record(RepResult result, Action<MediaRep> onAsset, Action<ItemError> onError)
    {
        Interlocked.Increment(ref _done);
        switch (result.Outcome)
        {
            case RepOutcome.Reused:
                Interlocked.Increment(ref _reused);
                break;
            case RepOutcome.Rendered:
                Interlocked.Increment(ref _rendered);
                _unsaved.Enqueue(result);
                break;
            default:
                Interlocked.Increment(ref _failed);
                _unsaved.Enqueue(result);
                break;
        }
        if (result.Error is { } error) onError(error);
        else onAsset(new MediaRep(result.Asset, result.Rep));
    }

    RepBatchProgress Progress(int total)
    {
        var seconds = _clock.Elapsed.TotalSeconds;
        var done = Volatile.Read(ref _done);
        return new RepBatchProgress(done, total, Volatile.Read(ref _rendered), Volatile.Read(ref _reused), Volatile.Read(ref _failed), seconds > 0 ? done / seconds : 0);
    }

    void SaveIfDue()
    {
        if (_clock.Elapsed - _lastSave < _saveInterval || !Monitor.TryEnter(_saveLock)) return;
        try
        {
            var started = _clock.Elapsed;
            SaveLocked();
            // Keep index writes to a small share of the run however large the index grows.
            var cost = _clock.Elapsed - started;
            _saveInterval = cost * 10 > MinSaveInterval ? cost * 10 : MinSaveInterval;
        }
        finally
        {
            Monitor.Exit(_saveLock);
        }
    }

    void Save()
    {
        lock (_saveLock) SaveLocked();
    }

    /// <summary>Writes every unsaved rep state into its library's rep index (one locked read-modify-write per library).</summary>
    void SaveLocked()
    {
        _lastSave = _clock.Elapsed;
        var batch = new List<RepResult>();
        while (_unsaved.TryDequeue(out var r)) batch.Add(r);
        if (batch.Count == 0) return;
        foreach (var group in batch.GroupBy(r => (r.Asset.LibraryRoot, r.Asset.StorePath)))
            RepIndex.Record(MediaLibrary.Open(group.Key.LibraryRoot, group.Key.StorePath), group.Select(r => (r.Asset.Id, r.Rep)));
    }
}
