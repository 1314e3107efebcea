using System.Net;
using System.Net.Http.Headers;
using MediaTagger.Core.Common;

namespace MediaTagger.Core.Models;

/// <summary>
/// Downloads one file to "&lt;target&gt;.part" and renames it when complete. An existing .part (an earlier run that was
/// interrupted, or a dropped connection in this one) is resumed with an HTTP Range request; a server that ignores
/// the range restarts the file. The result must have exactly the length the server announced.
/// </summary>
public sealed class ModelDownloader
{
    const int Attempts = 4;

    static readonly Lazy<HttpClient> SharedClient = new(() =>
    {
        var client = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None, ConnectTimeout = TimeSpan.FromSeconds(30) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("MediaTagger", "0.1"));
        return client;
    });

    readonly HttpClient _client;

    public ModelDownloader(HttpClient? client = null) => _client = client ?? SharedClient.Value;

    /// <summary>Seconds without a byte after which a transfer counts as interrupted and is resumed.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Downloads <paramref name="url"/> to <paramref name="target"/>; <paramref name="onBytes"/> gets every chunk's size (resumed bytes included once at the start).</summary>
    /// <returns>The number of bytes that came from resuming an earlier partial file.</returns>
    public long Download(Uri url, string target, Action<long> onBytes, CancellationToken cancellationToken)
    {
        var part = target + ".part";
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var resumedFrom = File.Exists(part) ? new FileInfo(part).Length : 0;
        if (resumedFrom > 0) onBytes(resumedFrom);
        Exception? last = null;
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (TryDownload(url, part, onBytes, cancellationToken))
                {
                    File.Move(part, target, overwrite: true);
                    return resumedFrom;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TimeoutException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // A dropped connection: the bytes so far stay in the .part file and the next attempt resumes after them.
                last = ex;
                cancellationToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(250 * attempt));
            }
        }
        throw new MediaTaggerException(ErrorIds.ModelDownloadFailed,
            $"Downloading {url} failed after {Attempts} attempts: {last?.Message}. Run the same command again to resume, or install from a folder with -Path.",
            ErrorKind.ResourceUnavailable, url.ToString(), last);
    }

    /// <summary>One request; true when the file is complete, false when the transfer ended early (resume).</summary>
    bool TryDownload(Uri url, string part, Action<long> onBytes, CancellationToken cancellationToken)
    {
        var have = File.Exists(part) ? new FileInfo(part).Length : 0;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (have > 0) request.Headers.Range = new RangeHeaderValue(have, null);
        using var response = _client.Send(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);

        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && have > 0)
        {
            // Nothing after our bytes: the file is complete if the server says its length is what we hold.
            var total = response.Content.Headers.ContentRange?.Length;
            if (total == have) return true;
            File.Delete(part);
            onBytes(-have);
            return false;
        }
        if (!response.IsSuccessStatusCode)
            throw new MediaTaggerException(ErrorIds.ModelDownloadFailed, $"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}.", ErrorKind.ResourceUnavailable, url.ToString());

        long offset, expected;
        if (response.StatusCode == HttpStatusCode.PartialContent && response.Content.Headers.ContentRange is { From: { } from } range)
        {
            if (from != have) throw new IOException($"the server resumed at byte {from}, not {have}");
            offset = have;
            expected = range.Length ?? -1;
        }
        else
        {
            // 200: the server sent the whole file (it ignored the range, or there was none).
            if (have > 0) onBytes(-have);
            offset = 0;
            expected = response.Content.Headers.ContentLength ?? -1;
        }

        using (var fs = new FileStream(part, offset == 0 ? FileMode.Create : FileMode.Open, FileAccess.Write, FileShare.None, 1 << 16))
        {
            fs.SetLength(offset);
            fs.Seek(offset, SeekOrigin.Begin);
            using var body = response.Content.ReadAsStream(cancellationToken);
            var buffer = new byte[1 << 16];
            while (true)
            {
                using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                stall.CancelAfter(StallTimeout);
                var read = body.ReadAsync(buffer, stall.Token).AsTask().GetAwaiter().GetResult();
                if (read == 0) break;
                fs.Write(buffer, 0, read);
                onBytes(read);
            }
            fs.Flush(flushToDisk: true);
        }
        var length = new FileInfo(part).Length;
        if (expected < 0) return true;
        if (length < expected) return false;
        if (length > expected)
            throw new MediaTaggerException(ErrorIds.ModelSizeMismatch, $"{url} sent {length} bytes but announced {expected}.", ErrorKind.InvalidData, url.ToString());
        return true;
    }
}
