using MediaTagger.Core.Common;

namespace MediaTagger.Core.Library;

/// <summary>
/// An exclusive lock on a store file, held across processes (an OS file lock on a sibling ".lock" file)
/// so two PowerShell sessions never interleave read-modify-write cycles of the same catalog.
/// </summary>
public sealed class StoreLock : IDisposable
{
    readonly FileStream _stream;

    StoreLock(FileStream stream) => _stream = stream;

    public static StoreLock Acquire(string file, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var lockPath = file + ".lock";
        Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            try
            {
                return new StoreLock(new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                cancellationToken.WaitHandle.WaitOne(50);
                cancellationToken.ThrowIfCancellationRequested();
            }
            catch (IOException ex)
            {
                throw new MediaTaggerException(ErrorIds.StoreLocked, $"'{file}' is locked by another MediaTagger process; try again when it has finished.", ErrorKind.ResourceUnavailable, file, ex);
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
