using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using MediaTagger.Core.Common;
using MediaTagger.Core.Review;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MediaTagger.Review.Tests;

/// <summary>
/// End to end: the built module's Invoke-MediaReview in a child pwsh, its page driven in Debian's chromium, and what
/// comes out of the cmdlet and into data/reviews checked.
/// </summary>
[Collection("browser")]
public sealed class ReviewPageTests(BrowserFixture fixture, ITestOutputHelper log)
{
    async Task<IPage> OpenAsync(Uri url, int width = 1280, int height = 900)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(url.AbsoluteUri);
        return page;
    }

    static ILocator Card(IPage page, int index) => page.Locator($".card[data-index='{index}']");

    static async Task<string> CountText(IPage page) => (await page.Locator("#count").InnerTextAsync()).Trim();

    [Fact]
    public async Task Apply_emits_exactly_the_approved_objects_and_records_every_decision()
    {
        double[] scores = [0.95, 0.91, 0.88, 0.84, 0.80, 0.77, 0.74, 0.70, 0.64, 0.58];
        using var lib = TestLibrary.Create(scores, minScore: 0.70);
        using var review = await ReviewProcess.StartAsync($"Invoke-MediaReview -Library {TestLibrary.Quote(lib.Root)} -Label Teddy -Preselect 0.70 -Timeout 300");
        // A short window: the full-page screenshot then has no empty space below the grid.
        var page = await OpenAsync(review.Url, 1280, 600);
        await Assertions.Expect(page.Locator(".card")).ToHaveCountAsync(scores.Length);
        await Assertions.Expect(page.Locator("#title")).ToHaveTextAsync("Similar to teddy.jpg");
        await Assertions.Expect(page.Locator("#threshold-value")).ToHaveTextAsync("0.700");
        // Pre-checked from the explicit -Preselect 0.70: the first eight, and the page says why.
        Assert.Equal("8 of 10 selected", await CountText(page));
        await Assertions.Expect(page.Locator("#why")).ToContainTextAsync("at least 0.700 (-Preselect)");
        // Sorted by score, best first.
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i.ToString()), await page.Locator(".card").EvaluateAllAsync<string[]>("cards => cards.map(c => c.dataset.index)"));

        await Card(page, 1).Locator("input[type=checkbox]").UncheckAsync();
        await Card(page, 3).Locator("input[type=checkbox]").UncheckAsync();
        Assert.Equal("6 of 10 selected", await CountText(page));
        // Lower the threshold to 0.60: 0.64 joins, 0.58 stays out, the two hand-unticked items stay unticked.
        await page.Locator("#threshold").FillAsync("0.6");
        await Assertions.Expect(page.Locator("#count")).ToHaveTextAsync("7 of 10 selected");
        await Assertions.Expect(Card(page, 1)).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\boff\b"));

        // Every visible thumbnail has loaded before the picture is taken.
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('.card img')].every(i => i.complete && i.naturalWidth > 0)");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(TestEnvironment.ResultsDirectory, "review-page.png"), FullPage = true });

        await page.Locator("#apply").ClickAsync();
        await Assertions.Expect(page.Locator("#done-text")).ToContainTextAsync("Applied: 7 approved");
        var emitted = await review.WaitForResultAsync();

        int[] approved = [0, 2, 4, 5, 6, 7, 8];
        Assert.Equal(approved.Select(i => lib.Assets[i].Id), emitted.Select(e => e.Id));
        Assert.All(emitted, e => Assert.True(e.Approved));
        Assert.All(emitted, e => Assert.Equal("ReviewedMatch", e.Type));
        Assert.Equal(approved.Select(i => scores[i]), emitted.Select(e => e.Score!.Value));

        var file = Assert.Single(lib.ReviewFiles);
        var record = Json.Read<ReviewRecord>(file)!;
        Assert.Equal("Teddy", record.Label);
        Assert.Equal("page", record.Method);
        Assert.Equal(0.6, record.Threshold!.Value, 6);
        Assert.Equal(0.70, record.Preselect!.Value, 6);
        Assert.Equal(ReviewRecord.CurrentVersion, record.Version);
        Assert.Equal(Environment.UserName, record.DecidedBy);
        Assert.Equal(Environment.MachineName, record.Host);
        Assert.True(DateTime.UtcNow - record.CreatedUtc < TimeSpan.FromMinutes(10));
        Assert.Equal(scores.Select(s => (bool?)(s >= 0.70)), record.Decisions.Select(d => d.Preselected));
        // The read API subject learning uses: one decision per asset, with who, when, which question and thresholds.
        var read = ReviewDecisions.Read(lib.Library);
        Assert.Equal(lib.Assets.Select(a => a.Id), read.Select(d => d.AssetId));
        Assert.All(read, d => Assert.Equal((Environment.UserName, "Teddy", ReviewQueryKey.For(lib.Query), 0.70, file), (d.DecidedBy, d.Label, d.QueryKey, d.Preselect!.Value, d.ReviewFile)));
        Assert.Equal(ReviewQueryKey.For(lib.Query), record.QueryKey);
        Assert.Equal(0.70, record.Query!.MinScore);
        Assert.Equal((7, 3), (record.ApprovedCount, record.RejectedCount));
        Assert.Equal(lib.Assets.Select(a => a.Id), record.Decisions.Select(d => d.Id));
        Assert.Equal(Enumerable.Range(0, 10).Select(approved.Contains), record.Decisions.Select(d => d.Approved));
        Assert.Equal(scores.Select(s => (double?)s), record.Decisions.Select(d => d.Score));
        // The reader search uses for -ExcludeReviewed sees the rejections.
        Assert.Equal(new[] { 1, 3, 9 }.Select(i => lib.Assets[i].Id).Order(), ReviewHistory.RejectedIds(lib.Library, label: "teddy").Order());
        Assert.Equal(new[] { 1, 3, 9 }.Select(i => lib.Assets[i].Id).Order(), ReviewHistory.RejectedIds(lib.Library, query: lib.Query).Order());
    }

    [Fact]
    public async Task Keyboard_moves_toggles_enlarges_and_submits_and_IncludeRejected_emits_every_decision()
    {
        double[] scores = [0.9, 0.8, 0.7, 0.6];
        using var lib = TestLibrary.Create(scores, minScore: 0.65);
        using var review = await ReviewProcess.StartAsync($"Invoke-MediaReview -Library {TestLibrary.Quote(lib.Root)} -IncludeRejected -Preselect 0.65 -Timeout 300");
        var page = await OpenAsync(review.Url);
        await Assertions.Expect(page.Locator(".card")).ToHaveCountAsync(4);
        Assert.Equal("3 of 4 selected", await CountText(page));

        await page.FocusAsync(".card[data-pos='0']");
        await page.Keyboard.PressAsync("ArrowRight");
        await page.Keyboard.PressAsync("Space");
        Assert.Equal("2 of 4 selected", await CountText(page));
        await page.Keyboard.PressAsync("e");
        await Assertions.Expect(page.Locator("#viewer")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#viewer-img")).ToHaveAttributeAsync("src", "rep/1");
        await page.WaitForFunctionAsync("() => document.getElementById('viewer-img').naturalWidth > 0");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.Locator("#viewer")).ToBeHiddenAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        await page.Keyboard.PressAsync("ArrowRight");
        await page.Keyboard.PressAsync("Space");
        Assert.Equal("3 of 4 selected", await CountText(page));
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#done-text")).ToContainTextAsync("Applied: 3 approved");

        var emitted = await review.WaitForResultAsync();
        Assert.Equal(lib.Assets.Select(a => a.Id), emitted.Select(e => e.Id));
        Assert.Equal(new bool?[] { true, false, true, true }, emitted.Select(e => e.Approved));
    }

    [Fact]
    public async Task Nothing_starts_ticked_without_an_explicit_preselect_even_when_every_candidate_passed_MinScore()
    {
        // The issue: with -MinScore 0.3 the page opened with "15 of 15 selected" and Enter applied them all.
        var scores = Enumerable.Range(0, 15).Select(i => 0.9 - i * 0.04).ToArray();
        using var lib = TestLibrary.Create(scores, minScore: 0.3);
        using var review = await ReviewProcess.StartAsync($"Invoke-MediaReview -Library {TestLibrary.Quote(lib.Root)} -Label Teddy -Timeout 300");
        var page = await OpenAsync(review.Url);
        await Assertions.Expect(page.Locator(".card")).ToHaveCountAsync(15);
        Assert.Equal("0 of 15 selected", await CountText(page));
        await Assertions.Expect(page.Locator("#why")).ToContainTextAsync("Nothing is ticked in advance");
        await Assertions.Expect(page.Locator("#threshold-box")).ToBeVisibleAsync();
        // Moving the slider is a person's choice: it ticks, and the page says so.
        await page.Locator("#threshold").FillAsync("0.7");
        await Assertions.Expect(page.Locator("#count")).ToHaveTextAsync("6 of 15 selected");
        await Assertions.Expect(page.Locator("#why")).ToContainTextAsync("(the slider)");
        await page.Locator("#threshold").FillAsync(await page.Locator("#threshold").GetAttributeAsync("max") ?? "1");
        Assert.Equal("0 of 15 selected", await CountText(page));
        // Enter applies what is ticked: nothing.
        await page.FocusAsync(".card[data-pos='0']");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#done-text")).ToContainTextAsync("Applied: 0 approved");
        Assert.Empty(await review.WaitForResultAsync());
        var record = Json.Read<ReviewRecord>(Assert.Single(lib.ReviewFiles))!;
        Assert.Null(record.Preselect);
        Assert.All(record.Decisions, d => Assert.Equal((false, (bool?)false), (d.Approved, d.Preselected)));
    }

    [Fact]
    public async Task A_profiles_review_preselect_ticks_at_its_own_threshold_apart_from_MinScore()
    {
        double[] scores = [0.95, 0.9, 0.8, 0.7, 0.65];
        using var lib = TestLibrary.Create(scores, minScore: 0.6);
        var profiles = Path.Combine(lib.Root, "profiles");
        Directory.CreateDirectory(profiles);
        var profile = Path.Combine(profiles, "strict.json");
        File.WriteAllText(profile, """{ "tagTemplate": "Pets|{label}", "queryDefaults": { "image": { "k": 700, "minScore": 0.6 }, "text": { "k": 700, "minScore": 0.2 } }, "review": { "preselect": 0.85 } }""");
        using var review = await ReviewProcess.StartAsync($"Invoke-MediaReview -Library {TestLibrary.Quote(lib.Root)} -Profile {TestLibrary.Quote(profile)} -Timeout 300");
        var page = await OpenAsync(review.Url);
        await Assertions.Expect(page.Locator(".card")).ToHaveCountAsync(5);
        Assert.Equal("2 of 5 selected", await CountText(page));
        await Assertions.Expect(page.Locator("#why")).ToContainTextAsync("at least 0.850 (review.preselect of the profile 'strict')");
        await page.Locator("#cancel").ClickAsync();
        Assert.Empty(await review.WaitForResultAsync());
    }

    [Fact]
    public async Task Cancel_approves_nothing_and_records_nothing()
    {
        using var lib = TestLibrary.Create([0.9, 0.8, 0.7], minScore: 0.5);
        // Plain assets piped in: no scores, so no slider, and nothing starts ticked.
        using var review = await ReviewProcess.StartAsync($"Get-MediaAsset -Library {TestLibrary.Quote(lib.Root)} -Cached | Invoke-MediaReview -Timeout 300");
        var page = await OpenAsync(review.Url);
        await Assertions.Expect(page.Locator(".card")).ToHaveCountAsync(3);
        Assert.Equal("0 of 3 selected", await CountText(page));
        await Assertions.Expect(page.Locator("#threshold-box")).ToBeHiddenAsync();
        await page.Locator("#none").ClickAsync();
        Assert.Equal("0 of 3 selected", await CountText(page));
        await Card(page, 1).Locator("input[type=checkbox]").CheckAsync();
        await page.Locator("#invert").ClickAsync();
        Assert.Equal("2 of 3 selected", await CountText(page));
        Assert.False(await Card(page, 1).Locator("input[type=checkbox]").IsCheckedAsync());
        await page.Locator("#all").ClickAsync();
        Assert.Equal("3 of 3 selected", await CountText(page));

        await page.Locator("#cancel").ClickAsync();
        await Assertions.Expect(page.Locator("#done-text")).ToContainTextAsync("Cancelled: nothing was approved");
        Assert.Empty(await review.WaitForResultAsync());
        Assert.Contains("Review cancelled", review.Output);
        Assert.Empty(lib.ReviewFiles);
    }

    [Fact]
    public async Task Timeout_ends_the_review_with_nothing_approved_and_stops_the_server()
    {
        using var lib = TestLibrary.Create([0.9, 0.8], minScore: 0.5);
        using var review = await ReviewProcess.StartAsync($"Invoke-MediaReview -Library {TestLibrary.Quote(lib.Root)} -Timeout 20");
        var page = await OpenAsync(review.Url);
        await Assertions.Expect(page.Locator(".card")).ToHaveCountAsync(2);

        Assert.Empty(await review.WaitForResultAsync());
        Assert.Contains("timed out", review.Output);
        Assert.Empty(lib.ReviewFiles);
        // The server is gone: the page says so when the person finally presses Apply.
        await page.Locator("#apply").ClickAsync();
        await Assertions.Expect(page.Locator("#done-text")).ToContainTextAsync("ended");
        using var http = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(review.Url));
    }

    [Fact]
    public async Task Requests_without_the_token_get_403_and_paths_never_reach_the_file_system()
    {
        using var lib = TestLibrary.Create([0.9, 0.8], minScore: 0.5);
        using var review = await ReviewProcess.StartAsync($"Invoke-MediaReview -Library {TestLibrary.Quote(lib.Root)} -Timeout 300");
        var t = review.Token;
        var repFile = Path.Combine(lib.Library.RepsPath, lib.Assets[0].Id + ".jpg");

        // With the token: the page and the rep of item 0, byte for byte.
        Assert.Equal(200, (await RawGet(review.Port, $"/{t}/")).Status);
        var rep = await RawGet(review.Port, $"/{t}/rep/0");
        Assert.Equal(200, rep.Status);
        Assert.Equal(File.ReadAllBytes(repFile), rep.Body);

        // Without it, or with a wrong one of the same length: 403 for everything, POSTs included.
        var wrong = new string(t.Select(c => c == 'a' ? 'b' : 'a').ToArray());
        foreach (var target in new[] { "/", "/items", "/rep/0", $"/{wrong}/", $"/{wrong}/rep/0", $"/{wrong}/items", $"/rep/0?token={t}", $"/{t.ToUpperInvariant()}x/" })
            Assert.Equal(403, (await RawGet(review.Port, target)).Status);
        Assert.Equal(403, (await RawRequest(review.Port, "POST", "/apply", "{\"approved\":[0,1]}")).Status);
        Assert.Equal(403, (await RawRequest(review.Port, "POST", $"/{wrong}/apply", "{\"approved\":[0,1]}")).Status);
        // A page of another site cannot apply (it could not know the token anyway).
        Assert.Equal(403, (await RawRequest(review.Port, "POST", $"/{t}/apply", "{\"approved\":[0,1]}", "Origin: http://evil.example")).Status);
        Assert.Equal(405, (await RawGet(review.Port, $"/{t}/apply")).Status);

        // Traversal and absolute paths, sent raw so no client tidies them up: 404, and no file content.
        var passwd = OperatingSystem.IsWindows() ? "C:/Windows/win.ini" : "/etc/passwd";
        foreach (var target in new[]
                 {
                     $"/{t}/rep/../../../../../../etc/passwd", $"/{t}/../../../../etc/passwd", $"/{t}/rep/..%2f..%2f..%2fetc%2fpasswd",
                     $"/{t}/%2e%2e/%2e%2e/%2e%2e/etc/passwd", $"/{t}/rep/0/../../../../etc/passwd", $"/{t}/{passwd}", $"/{t}//{repFile}",
                     $"/{t}/rep/{repFile}", $"/{t}/rep/{lib.Assets[0].Id}.jpg", $"/{t}/rep/-1", $"/{t}/rep/2", $"/{t}/rep/00", $"/{t}/rep/0/2",
                     $"/{t}/rep/1e0", $"/{t}/{lib.Library.AssetsFile}", $"/{t}/rep/0%00", $"/{t}/review.html",
                 })
        {
            var (status, body) = await RawGet(review.Port, target);
            Assert.True(status == 404, $"{target} answered {status}");
            Assert.DoesNotContain("root:", Encoding.UTF8.GetString(body));
        }

        // Loopback only: the machine's other addresses do not answer on the port.
        foreach (var address in NetworkInterface.GetAllNetworkInterfaces().SelectMany(n => n.GetIPProperties().UnicastAddresses)
                     .Select(u => u.Address).Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a)))
        {
            using var client = new TcpClient();
            await Assert.ThrowsAnyAsync<SocketException>(() => client.ConnectAsync(address, review.Port));
        }

        Assert.Equal(200, (await RawRequest(review.Port, "POST", $"/{t}/cancel", "{}")).Status);
        Assert.Empty(await review.WaitForResultAsync());
    }

    [Fact]
    public async Task Two_thousand_items_open_all_listed_and_selectable_with_lazy_thumbnails()
    {
        const int count = 2000;
        var scores = Enumerable.Range(0, count).Select(i => Math.Round(0.99 - i * 0.0004, 4)).ToArray();
        using var lib = TestLibrary.Create(scores, minScore: 0.5);
        using var review = await ReviewProcess.StartAsync($"Invoke-MediaReview -Library {TestLibrary.Quote(lib.Root)} -Preselect 0.5 -Timeout 300");
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        var repRequests = 0;
        page.Request += (_, r) => { if (r.Url.Contains("/rep/")) Interlocked.Increment(ref repRequests); };

        var clock = Stopwatch.StartNew();
        await page.GotoAsync(review.Url.AbsoluteUri);
        await page.WaitForFunctionAsync(
            $"() => document.querySelectorAll('.card').length === {count} && (i => i && i.complete && i.naturalWidth > 0)(document.querySelector('.card img'))",
            null, new PageWaitForFunctionOptions { PollingInterval = 20 });
        clock.Stop();
        log.WriteLine($"2,000 items opened in {clock.Elapsed.TotalMilliseconds:F0} ms with {repRequests} thumbnails requested");

        var ticked = scores.Count(s => s >= 0.5);
        Assert.Equal($"{ticked:#,0} of {count:#,0} selected", await CountText(page));
        // Lazy: only the thumbnails near the screen were asked for.
        Assert.True(repRequests < count / 4, $"{repRequests} thumbnails requested up front");
        // ...and the last one arrives once it is scrolled to.
        await page.Locator(".card").Last.ScrollIntoViewIfNeededAsync();
        await page.WaitForFunctionAsync("() => (i => i.complete && i.naturalWidth > 0)([...document.querySelectorAll('.card img')].pop())");

        await page.Locator("#cancel").ClickAsync();
        Assert.Empty(await review.WaitForResultAsync());
    }

    static Task<(int Status, byte[] Body)> RawGet(int port, string target) => RawRequest(port, "GET", target, null);

    /// <summary>An HTTP/1.1 request written byte for byte, so "..", "%2e" and "//" arrive exactly as sent.</summary>
    static async Task<(int Status, byte[] Body)> RawRequest(int port, string method, string target, string? body, string? extraHeader = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        var bytes = body is null ? [] : Encoding.UTF8.GetBytes(body);
        var head = $"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n"
                   + (extraHeader is null ? "" : extraHeader + "\r\n")
                   + (body is null ? "" : $"Content-Type: application/json\r\nContent-Length: {bytes.Length}\r\n")
                   + "\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(bytes);
        using var response = new MemoryStream();
        await stream.CopyToAsync(response);
        var all = response.ToArray();
        var split = all.AsSpan().IndexOf("\r\n\r\n"u8);
        var statusLine = Encoding.ASCII.GetString(all, 0, all.AsSpan().IndexOf("\r\n"u8));
        return (int.Parse(statusLine.Split(' ')[1]), all[(split + 4)..]);
    }
}
