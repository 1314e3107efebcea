using MediaTagger.Core.Review;
using MediaTagger.Core.Store;
using MediaTagger.Core.Subjects;
using Microsoft.Playwright;

namespace MediaTagger.Review.Tests;

/// <summary>
/// Invoke-MediaReview -Subject in a child pwsh with the built module, its page in Debian's chromium: the round report
/// (round, approved, positives probably left, "probably done") is on the page itself, not only in the console.
/// </summary>
[Collection("browser")]
public sealed class SubjectRoundPageTests(BrowserFixture fixture)
{
    /// <summary>24 catalogued photos; the first 8 are "Teddy" (vectors near one axis), the rest lie elsewhere. Anchors: items 0 and 1.</summary>
    static TestLibrary CreateSubjectLibrary()
    {
        var lib = TestLibrary.Create(Enumerable.Repeat(0.5, 24).ToList(), minScore: 0);
        const int dim = 8;
        var rng = new Random(3);
        var store = EmbeddingStore.OpenOrCreate(lib.Library, "toy", "toy@test", dim, "test");
        store.Append(lib.Assets.Select((a, i) =>
        {
            var v = new float[dim];
            v[i < 8 ? 0 : 2 + i % (dim - 2)] = 1;
            for (var d = 0; d < dim; d++) v[d] += (float)(0.2 * rng.NextDouble());
            var norm = MathF.Sqrt(v.Sum(x => x * x));
            return new StoreRow(a.Id, "stamp", v.Select(x => x / norm).ToArray());
        }).ToList());
        SubjectStore.Save(lib.Library, new Subject
        {
            Name = "Teddy",
            Tag = "Pets|Teddy",
            Anchors = lib.Assets.Take(2).Select(a => new SubjectAnchor { Id = a.Id, RelativePath = a.RelativePath }).ToList(),
        });
        return lib;
    }

    async Task<IPage> OpenAsync(Uri url)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(url.AbsoluteUri);
        return page;
    }

    static string Invocation(TestLibrary lib) => $"Invoke-MediaReview -Subject Teddy -Library {TestLibrary.Quote(lib.Root)} -Model toy -BatchSize 6 -Rounds 1 -Timeout 300";

    [Fact]
    public async Task The_page_reports_the_last_round_what_is_probably_left_and_says_probably_done()
    {
        using var lib = CreateSubjectLibrary();
        var subject = SubjectStore.Get(lib.Library, "Teddy");
        // An earlier round: 3 of 6 approved. With 3 on each side the subject has learned, so it can estimate what is left.
        var earlier = lib.Assets.Skip(2).Take(3).Select(a => new SubjectDecision(a, true))
            .Concat(lib.Assets.Skip(8).Take(3).Select(a => new SubjectDecision(a, false))).ToList();
        SubjectDecisions.Record(lib.Library, subject, earlier, "cmdlet");

        using (var review = await ReviewProcess.StartAsync(Invocation(lib)))
        {
            var page = await OpenAsync(review.Url);
            var round = page.Locator("#round");
            await Assertions.Expect(round).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#round-number")).ToHaveTextAsync("Teddy · round 2");
            var facts = await page.Locator("#round-facts").InnerTextAsync();
            Assert.Contains("last round: 3 of 6 approved", facts);
            Assert.Contains("3 approved so far", facts);
            Assert.Matches(@"about \d+(\.\d)? positives still unreviewed", facts);
            await Assertions.Expect(page.Locator("#round-done")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator(".card")).ToHaveCountAsync(6);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(TestEnvironment.ResultsDirectory, "review-subject-round.png") });

            // This round brings nothing new: every item rejected.
            foreach (var box in await page.Locator(".card input[type=checkbox]").AllAsync()) await box.UncheckAsync();
            await page.Locator("#apply").ClickAsync();
            await review.WaitForResultAsync();
            Assert.Contains("round 2: 0 of 6 approved", review.Output);
            Assert.Contains("Probably done.", review.Output);
        }

        // The next review says so on the page, clearly.
        using (var review = await ReviewProcess.StartAsync(Invocation(lib)))
        {
            var page = await OpenAsync(review.Url);
            await Assertions.Expect(page.Locator("#round-number")).ToHaveTextAsync("Teddy · round 3");
            Assert.Contains("last round: 0 of 6 approved", await page.Locator("#round-facts").InnerTextAsync());
            await Assertions.Expect(page.Locator("#round-done")).ToHaveTextAsync("Probably done");
            await Assertions.Expect(page.Locator("#round")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bfinished\b"));
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(TestEnvironment.ResultsDirectory, "review-subject-done.png") });
            await page.Locator("#cancel").ClickAsync();
            await review.WaitForResultAsync();
        }
    }

    [Fact]
    public async Task Before_the_subject_has_learned_the_page_says_when_it_will_estimate()
    {
        using var lib = CreateSubjectLibrary();
        using var review = await ReviewProcess.StartAsync(Invocation(lib));
        var page = await OpenAsync(review.Url);
        await Assertions.Expect(page.Locator("#round-number")).ToHaveTextAsync("Teddy · round 1");
        var facts = await page.Locator("#round-facts").InnerTextAsync();
        Assert.Equal("0 approved so far · positives left: estimated once 3 are approved and 3 rejected", facts);
        await page.Locator("#cancel").ClickAsync();
        await review.WaitForResultAsync();
    }
}
