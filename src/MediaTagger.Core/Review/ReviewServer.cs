using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MediaTagger.Core.Common;

namespace MediaTagger.Core.Review;

/// <summary>
/// The local review page: an HttpListener on loopback that serves the page, the item list and the reps of the items
/// under review (by index only: no part of a request path ever reaches the file system), and takes Apply/Cancel as
/// POSTs. Every URL starts with a random per-review token; a request without it gets 403.
/// </summary>
public sealed class ReviewServer : IDisposable
{
    const long MaxBodyBytes = 16 << 20;

    readonly IReadOnlyList<ReviewItem> _items;
    readonly ReviewOptions _options;
    readonly HttpListener _listener;
    readonly string _token;
    readonly byte[] _tokenBytes;
    readonly string _origin;
    readonly TaskCompletionSource<ReviewResult> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly Lazy<byte[]> _itemsJson;
    Task? _acceptLoop;

    ReviewServer(IReadOnlyList<ReviewItem> items, ReviewOptions options, HttpListener listener, string origin, string token)
    {
        _items = items;
        _options = options;
        _listener = listener;
        _origin = origin;
        _token = token;
        _tokenBytes = Encoding.ASCII.GetBytes(token);
        _itemsJson = new(BuildItemsJson);
        Url = new Uri($"{origin}/{token}/");
    }

    /// <summary>The page address, token included: the only way in.</summary>
    public Uri Url { get; }

    public int Port => Url.Port;

    /// <summary>Completes when the page applies or cancels.</summary>
    public Task<ReviewResult> Completion => _done.Task;

    /// <summary>Starts listening on 127.0.0.1 (a free port unless <see cref="ReviewOptions.Port"/> names one).</summary>
    /// <exception cref="MediaTaggerException">The port is taken or the listener cannot start.</exception>
    public static ReviewServer Start(IReadOnlyList<ReviewItem> items, ReviewOptions options)
    {
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        // A free port can be taken between probing and binding; a few tries make that race harmless.
        for (var attempt = 0; ; attempt++)
        {
            var port = options.Port != 0 ? options.Port : FreeLoopbackPort();
            // http.sys lets ordinary users register "localhost" but not "127.0.0.1"; both are loopback only.
            var host = OperatingSystem.IsWindows() ? "localhost" : "127.0.0.1";
            var origin = $"http://{host}:{port}";
            var listener = new HttpListener();
            listener.Prefixes.Add(origin + "/");
            try
            {
                listener.Start();
            }
            catch (HttpListenerException ex)
            {
                listener.Close();
                if (options.Port == 0 && attempt < 5) continue;
                throw new MediaTaggerException(options.Port != 0 ? ErrorIds.ReviewPortInUse : ErrorIds.ReviewServerFailed,
                    options.Port != 0
                        ? $"Cannot listen on 127.0.0.1:{port} ({ex.Message}). Choose another -Port, or leave it out to use a free one."
                        : $"Cannot start the review server on 127.0.0.1 ({ex.Message}).",
                    ErrorKind.ResourceUnavailable, port, ex);
            }
            var server = new ReviewServer(items, options, listener, origin, token);
            server._acceptLoop = Task.Run(server.AcceptLoop);
            return server;
        }
    }

    static int FreeLoopbackPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        try { return ((IPEndPoint)probe.LocalEndpoint).Port; }
        finally { probe.Stop(); }
    }

    /// <summary>
    /// Blocks until the page answers, <paramref name="timeout"/> passes or <paramref name="cancellationToken"/> is
    /// cancelled (Ctrl+C), calling <paramref name="tick"/> about twice a second with the time waited. The server is
    /// stopped before this returns.
    /// </summary>
    public ReviewResult Wait(TimeSpan? timeout, CancellationToken cancellationToken, Action<TimeSpan>? tick = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            while (true)
            {
                if (cancellationToken.IsCancellationRequested) return ReviewResult.Nothing(ReviewEnd.Stopped, _items.Count);
                if (timeout is { } t && clock.Elapsed >= t)
                {
                    if (Claim()) _done.TrySetResult(ReviewResult.Nothing(ReviewEnd.TimedOut, _items.Count));
                    // Otherwise an Apply or Cancel that arrived in the last instant is being answered: it wins.
                    _done.Task.Wait(TimeSpan.FromSeconds(10));
                    return _done.Task.IsCompleted ? _done.Task.Result : ReviewResult.Nothing(ReviewEnd.TimedOut, _items.Count);
                }
                var slice = TimeSpan.FromMilliseconds(500);
                if (timeout is { } limit && limit - clock.Elapsed < slice) slice = limit - clock.Elapsed;
                try
                {
                    if (_done.Task.Wait(slice < TimeSpan.Zero ? TimeSpan.Zero : slice, cancellationToken)) return _done.Task.Result;
                }
                catch (OperationCanceledException)
                {
                    return ReviewResult.Nothing(ReviewEnd.Stopped, _items.Count);
                }
                tick?.Invoke(clock.Elapsed);
            }
        }
        finally
        {
            // Whatever ended the review, later requests (a second Apply, a late thumbnail) find nothing listening.
            Claim();
            _done.TrySetResult(ReviewResult.Nothing(ReviewEnd.Stopped, _items.Count));
            Dispose();
        }
    }

    public void Dispose()
    {
        if (!_listener.IsListening) return;
        try { _listener.Stop(); } catch (ObjectDisposedException) { }
        _listener.Close();
        try { _acceptLoop?.Wait(TimeSpan.FromSeconds(2)); } catch (AggregateException) { }
    }

    async Task AcceptLoop()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => Handle(context));
        }
    }

    void Handle(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            Route(context.Request, response);
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The browser went away mid-response (a thumbnail scrolled out of view); nothing to do.
        }
        catch (Exception)
        {
            TrySend(response, 500, "text/plain", "Internal error"u8.ToArray());
        }
        finally
        {
            try { response.Close(); } catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or IOException or InvalidOperationException) { }
        }
    }

    void Route(HttpListenerRequest request, HttpListenerResponse response)
    {
        AddSecurityHeaders(response);
        // RawUrl is the request target exactly as sent: nothing is decoded or normalised, so "..", "%2e%2e" and
        // absolute paths stay literal segments that match no route.
        var raw = request.RawUrl ?? "";
        var query = raw.IndexOf('?');
        var path = query >= 0 ? raw[..query] : raw;
        var segments = path.Split('/');
        if (segments.Length < 2 || segments[0].Length != 0 || !IsToken(segments[1]))
        {
            Send(response, 403, "text/plain", "Forbidden: this review page needs the address printed in the console."u8.ToArray());
            return;
        }
        var rest = segments[2..];
        var method = request.HttpMethod;
        var isGet = method == "GET";
        switch (rest)
        {
            case []:
                response.RedirectLocation = $"/{_token}/";
                Send(response, 302, "text/plain", []);
                return;
            case [""] when isGet:
                Send(response, 200, "text/html; charset=utf-8", Resource("review.html"));
                return;
            case ["review.js"] when isGet:
                Send(response, 200, "text/javascript; charset=utf-8", Resource("review.js"));
                return;
            case ["review.css"] when isGet:
                Send(response, 200, "text/css; charset=utf-8", Resource("review.css"));
                return;
            case ["items"] when isGet:
                Send(response, 200, "application/json; charset=utf-8", _itemsJson.Value);
                return;
            case ["rep", var index] when isGet:
                SendRep(response, index, "1");
                return;
            case ["rep", var index, var frame] when isGet:
                SendRep(response, index, frame);
                return;
            case ["apply"] when method == "POST":
                Apply(request, response);
                return;
            case ["cancel"] when method == "POST":
                if (!SameOrigin(request)) { Send(response, 403, "text/plain", "Forbidden"u8.ToArray()); return; }
                Finish(response, ReviewResult.Nothing(ReviewEnd.Cancelled, _items.Count), "{}"u8.ToArray());
                return;
            case [""] or ["review.js"] or ["review.css"] or ["items"] or ["rep", _] or ["rep", _, _] when !isGet:
            case ["apply"] or ["cancel"] when method != "POST":
                Send(response, 405, "text/plain", "Method not allowed"u8.ToArray());
                return;
            default:
                Send(response, 404, "text/plain", "Not found"u8.ToArray());
                return;
        }
    }

    bool IsToken(string segment) =>
        segment.Length == _token.Length && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(segment), _tokenBytes);

    /// <summary>A POST from another site (which cannot know the token anyway) is refused outright.</summary>
    bool SameOrigin(HttpListenerRequest request)
    {
        var origin = request.Headers["Origin"];
        return origin is null || string.Equals(origin, _origin, StringComparison.OrdinalIgnoreCase);
    }

    void SendRep(HttpListenerResponse response, string indexText, string frameText)
    {
        if (!TryParseSmall(indexText, out var index) || index >= _items.Count
            || !TryParseSmall(frameText, out var frame) || frame < 1 || frame > _items[index].RepFiles.Count)
        {
            Send(response, 404, "text/plain", "Not found"u8.ToArray());
            return;
        }
        FileStream file;
        try
        {
            file = new FileStream(_items[index].RepFiles[frame - 1], FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Send(response, 404, "text/plain", "Not found"u8.ToArray());
            return;
        }
        using (file)
        {
            response.StatusCode = 200;
            response.ContentType = "image/jpeg";
            // The token makes the address unique to this review, so caching cannot leak into another.
            response.Headers["Cache-Control"] = "private, max-age=3600";
            // HttpListener sends a large body in two writes on a socket without TCP_NODELAY: on a kept-alive
            // connection the second one waits ~40 ms for a delayed ACK. A fresh loopback connection per thumbnail
            // does not (measured: about 10x the thumbnails per second).
            response.KeepAlive = false;
            response.ContentLength64 = file.Length;
            file.CopyTo(response.OutputStream);
        }
    }

    /// <summary>Digits only, no sign, no leading zeros beyond "0": anything else is not an index we handed out.</summary>
    static bool TryParseSmall(string text, out int value)
    {
        value = 0;
        if (text.Length is 0 or > 9 || (text.Length > 1 && text[0] == '0')) return false;
        foreach (var c in text)
        {
            if (c is < '0' or > '9') return false;
            value = value * 10 + (c - '0');
        }
        return true;
    }

    void Apply(HttpListenerRequest request, HttpListenerResponse response)
    {
        if (!SameOrigin(request)) { Send(response, 403, "text/plain", "Forbidden"u8.ToArray()); return; }
        if (request.ContentLength64 > MaxBodyBytes) { Send(response, 413, "text/plain", "Too large"u8.ToArray()); return; }
        ApplyRequest? body;
        try
        {
            using var limited = new MemoryStream();
            CopyLimited(request.InputStream, limited);
            limited.Position = 0;
            body = JsonSerializer.Deserialize<ApplyRequest>(limited, Json.Compact);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            Send(response, 400, "text/plain", "Bad request"u8.ToArray());
            return;
        }
        if (body?.Approved is null || body.Approved.Any(i => i < 0 || i >= _items.Count))
        {
            Send(response, 400, "text/plain", "Bad request: approved must list item indices"u8.ToArray());
            return;
        }
        var approved = new bool[_items.Count];
        foreach (var i in body.Approved) approved[i] = true;
        var result = new ReviewResult(ReviewEnd.Applied, approved, body.Threshold);
        Finish(response, result, JsonSerializer.SerializeToUtf8Bytes(new { approved = result.ApprovedCount, total = _items.Count }, Json.Compact));
    }

    int _claimed;

    /// <summary>The first of Apply, Cancel, timeout and Ctrl+C to get here decides the review.</summary>
    bool Claim() => Interlocked.CompareExchange(ref _claimed, 1, 0) == 0;

    void Finish(HttpListenerResponse response, ReviewResult result, byte[] answer)
    {
        if (!Claim())
        {
            Send(response, 409, "application/json", "{\"error\":\"The review has already ended.\"}"u8.ToArray());
            return;
        }
        try
        {
            Send(response, 200, "application/json", answer);
            // Only after the answer is on its way: the waiting cmdlet stops the server as soon as this completes.
            response.Close();
        }
        finally
        {
            _done.TrySetResult(result);
        }
    }

    static void CopyLimited(Stream from, Stream to)
    {
        var buffer = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = from.Read(buffer)) > 0)
        {
            total += n;
            if (total > MaxBodyBytes) throw new InvalidDataException("Body too large.");
            to.Write(buffer, 0, n);
        }
    }

    sealed class ApplyRequest
    {
        public List<int>? Approved { get; set; }
        public double? Threshold { get; set; }
    }

    byte[] BuildItemsJson()
    {
        var page = new
        {
            title = _options.Title,
            label = _options.Label,
            preselect = _options.Preselect,
            preselectSource = _options.PreselectSource,
            round = _options.Round,
            items = _items.Select(i => new
            {
                i = i.Index,
                name = i.Asset.Name,
                path = i.Asset.RelativePath,
                type = i.Asset.Type.ToString().ToLowerInvariant(),
                score = i.Score,
                frames = i.RepFiles.Count,
                face = i.Face,
            }),
        };
        return JsonSerializer.SerializeToUtf8Bytes(page, Json.Compact);
    }

    static readonly Dictionary<string, byte[]> Resources = new(StringComparer.Ordinal);

    static byte[] Resource(string name)
    {
        lock (Resources)
        {
            if (Resources.TryGetValue(name, out var bytes)) return bytes;
            using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("MediaTagger.Review." + name)
                ?? throw new InvalidOperationException($"Embedded page resource {name} is missing.");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return Resources[name] = copy.ToArray();
        }
    }

    static void AddSecurityHeaders(HttpListenerResponse response)
    {
        var h = response.Headers;
        h["Cache-Control"] = "no-store";
        h["X-Content-Type-Options"] = "nosniff";
        // The token is in the URL: never hand it to another site.
        h["Referrer-Policy"] = "no-referrer";
        h["X-Frame-Options"] = "DENY";
        h["Content-Security-Policy"] = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    static void Send(HttpListenerResponse response, int status, string contentType, byte[] body)
    {
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength64 = body.Length;
        response.OutputStream.Write(body);
    }

    static void TrySend(HttpListenerResponse response, int status, string contentType, byte[] body)
    {
        try { Send(response, status, contentType, body); }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException) { }
    }
}
