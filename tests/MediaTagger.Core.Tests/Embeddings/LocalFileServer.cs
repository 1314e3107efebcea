using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace MediaTagger.Core.Tests.Embeddings;

/// <summary>
/// A real HTTP server on 127.0.0.1 serving files at /&lt;repo&gt;/resolve/main/&lt;path&gt; like Hugging Face, with Range
/// support. <see cref="CutAfter"/> makes the first response of a file stop after that many bytes (connection dropped),
/// to exercise resume.
/// </summary>
sealed class LocalFileServer : IDisposable
{
    readonly HttpListener _listener = new();
    readonly Task _loop;
    readonly ConcurrentDictionary<string, byte[]> _files = new();

    public LocalFileServer()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        BaseUrl = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(BaseUrl + "/");
        _listener.Start();
        _loop = Task.Run(Loop);
    }

    public string BaseUrl { get; }
    public ConcurrentDictionary<string, int> CutAfter { get; } = new();
    public ConcurrentQueue<(string Path, string? Range, int Status)> Requests { get; } = new();

    public void Add(string urlPath, byte[] content) => _files[urlPath] = content;

    async Task Loop()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            _ = Task.Run(() => Serve(ctx));
        }
    }

    void Serve(HttpListenerContext ctx)
    {
        var path = Uri.UnescapeDataString(ctx.Request.Url!.AbsolutePath);
        var range = ctx.Request.Headers["Range"];
        var response = ctx.Response;
        try
        {
            if (!_files.TryGetValue(path, out var content))
            {
                Requests.Enqueue((path, range, 404));
                response.StatusCode = 404;
                response.Close();
                return;
            }
            long from = 0;
            if (range is not null && range.StartsWith("bytes=", StringComparison.Ordinal))
            {
                from = long.Parse(range[6..].TrimEnd('-').Split('-')[0]);
                if (from >= content.Length)
                {
                    Requests.Enqueue((path, range, 416));
                    response.StatusCode = 416;
                    response.AddHeader("Content-Range", $"bytes */{content.Length}");
                    response.Close();
                    return;
                }
                response.StatusCode = 206;
                response.AddHeader("Content-Range", $"bytes {from}-{content.Length - 1}/{content.Length}");
            }
            Requests.Enqueue((path, range, response.StatusCode));
            response.ContentLength64 = content.Length - from;
            var body = response.OutputStream;
            if (CutAfter.TryRemove(path, out var cut))
            {
                body.Write(content, (int)from, Math.Min(cut, content.Length - (int)from));
                body.Flush();
                response.Abort();
                return;
            }
            body.Write(content, (int)from, content.Length - (int)from);
            response.Close();
        }
        catch (Exception) when (!_listener.IsListening) { }
        catch (HttpListenerException) { }
        catch (IOException) { }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(5000); } catch (AggregateException) { }
    }
}
