using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Store;
using MediaTagger.Core.Subjects;
using MediaTagger.Core.Tests.Search;

namespace MediaTagger.Core.Tests.Subjects;

public sealed class SubjectLearningTests
{
    static void NoErrors(ItemError e) => throw new InvalidOperationException(e.Message);

    [Fact]
    public void RejectedItemsNeverComeBack()
    {
        using var world = new SubjectWorld();
        var subject = world.CreateSubject();
        var seen = new HashSet<string>(world.Positives.Take(2).Select(a => a.Id));
        var rejected = new HashSet<string>();
        for (var round = 0; round < 5; round++)
        {
            var batch = world.ReviewRound(subject, 12);
            Assert.NotEmpty(batch);
            foreach (var c in batch)
            {
                Assert.True(seen.Add(c.Asset.Id), $"round {round + 1} showed {c.Asset.RelativePath} again");
                if (!world.IsPositive(c.Asset.Id)) rejected.Add(c.Asset.Id);
            }
        }
        Assert.NotEmpty(rejected);
        var ranked = world.Session().Run(subject.Name, s => s.Ranker.Rank(s.Store!, s.Catalog!, s.Examples.Decided, 1000), NoErrors);
        Assert.DoesNotContain(ranked, c => rejected.Contains(c.Asset.Id));
        Assert.Equal(world.Positives.Count + world.Negatives.Count - seen.Count, ranked.Count);
    }

    [Fact]
    public void DecisionsAccumulateAcrossSessionsAndTheLatestWins()
    {
        using var world = new SubjectWorld();
        var subject = world.CreateSubject();
        var first = world.Positives.Skip(2).Take(3).ToList();
        var second = world.Negatives.Take(4).ToList();
        SubjectDecisions.Record(world.Library, subject, first.Select(a => new SubjectDecision(a, true)).ToList(), "test");
        SubjectDecisions.Record(world.Library, subject, second.Select(a => new SubjectDecision(a, false)).ToList(), "test");
        // Another review, later, changes its mind about one item; a review of another subject does not count.
        SubjectDecisions.Record(world.Library, subject, [new SubjectDecision(first[0], false)], "test");
        SubjectDecisions.Record(world.Library, new Subject { Name = "Rex", Tag = "Pets|Rex" }, [new SubjectDecision(second[0], true)], "test");

        var examples = SubjectExamples.Load(world.Library, SubjectStore.Get(world.Library, "teddy"), NoErrors);
        Assert.Equal(2, examples.ReviewedPositives);
        Assert.Equal(5, examples.ReviewedNegatives);
        Assert.Equal(3, examples.Rounds.Count);
        Assert.Equal(
            world.Positives.Take(2).Concat(first.Skip(1)).Select(a => a.Id).Order(),
            examples.ApprovedAssets.Select(e => e.AssetId!).Order());
        Assert.True(examples.Decided.SetEquals(world.Positives.Take(2).Concat(first).Concat(second).Select(a => a.Id)));
    }

    [Fact]
    public void LearnsOnceBothSidesHaveEnoughDecisions()
    {
        using var world = new SubjectWorld();
        var subject = world.CreateSubject();
        Assert.Equal(SubjectMode.Anchors, world.Session().Run(subject.Name, s => s.Ranker.Mode, NoErrors));
        // The first round, ranked by similarity to the anchors, is all approvals: still nothing to tell it apart from.
        world.ReviewRound(subject, 24);
        Assert.Equal(SubjectMode.Anchors, world.Session().Run(subject.Name, s => s.Ranker.Mode, NoErrors));
        world.ReviewRound(subject, 24);
        var (mode, classifier) = world.Session().Run(subject.Name, s => (s.Ranker.Mode, s.Ranker.Classifier), NoErrors);
        Assert.Equal(SubjectMode.Classifier, mode);
        Assert.True(classifier!.Positives >= SubjectClassifier.MinPerClass && classifier.Negatives >= SubjectClassifier.MinPerClass);
    }

    [Fact]
    public void ActiveReviewFindsMoreThanTheOneShotSearchForTheSameEffort()
    {
        using var world = new SubjectWorld(positives: 30, distractors: 150);
        var subject = world.CreateSubject();
        var anchors = world.Positives.Take(2).Select(a => a.Id).ToHashSet();
        var found = 0;
        for (var round = 0; round < 3; round++) found += world.ReviewRound(subject, 12).Count(c => world.IsPositive(c.Asset.Id));
        // The one-shot baseline: the same 36 items, ranked once by the anchors alone.
        var oneShot = world.Session().Run(subject.Name, s =>
        {
            var anchorsOnly = Core.Subjects.SubjectRanker.Train(subject, SubjectVectors.For(
                SubjectExamples.Load(world.Library, new Subject { Name = "x", Tag = "x", Anchors = subject.Anchors }, NoErrors), s.Store!, _ => [], NoErrors));
            return anchorsOnly.Rank(s.Store!, s.Catalog!, anchors, 36).Count(c => world.IsPositive(c.Asset.Id));
        }, NoErrors);
        Assert.True(found >= oneShot, $"active review found {found}, the one-shot search {oneShot}");
        Assert.True(found >= 26, $"active review found only {found} of 28 after 36 reviewed");
    }

    [Fact]
    public void ModelSwitchKeepsTheDecisionsAndRetrains()
    {
        using var world = new SubjectWorld();
        var subject = world.CreateSubject();
        world.ReviewRound(subject, 24);
        world.ReviewRound(subject, 24);
        // A second model (another dimension, other vectors) embeds the same assets.
        var other = EmbeddingStore.OpenOrCreate(world.Library, "othermodel", "other/model@2", 12, "none");
        var rng = new Random(9);
        other.Append(world.Positives.Concat(world.Negatives).Select(a =>
        {
            var v = new float[12];
            v[world.IsPositive(a.Id) ? 5 : 7] = 1;
            for (var d = 0; d < 12; d++) v[d] += (float)(0.3 * rng.NextDouble());
            return new StoreRow(a.Id, "stamp", SearchFixture.Normalize(v));
        }).ToList());

        var before = SubjectExamples.Load(world.Library, subject, NoErrors).All.Count;
        var (mode, dimension, positives, negatives, top) = world.Session("othermodel").Run(subject.Name,
            s => (s.Ranker.Mode, s.Store!.Dimension, s.Ranker.Vectors.Positives.Count, s.Ranker.Vectors.Negatives.Count,
                  s.Ranker.Rank(s.Store!, s.Catalog!, s.Examples.Decided, 5, includeDecided: true)), NoErrors);
        Assert.Equal(SubjectMode.Classifier, mode);
        Assert.Equal(12, dimension);
        Assert.Equal(before, positives + negatives);
        Assert.All(top, c => Assert.True(world.IsPositive(c.Asset.Id)));
        Assert.Equal(before, SubjectExamples.Load(world.Library, subject, NoErrors).All.Count);
    }

    [Fact]
    public void ProbabilitiesLieInTheUnitIntervalAndRiseWithTheRawScore()
    {
        using var world = new SubjectWorld();
        var subject = world.CreateSubject();
        world.ReviewRound(subject, 24);
        world.ReviewRound(subject, 24);
        var (classifier, ranked) = world.Session().Run(subject.Name, s => (s.Ranker.Classifier!, s.Ranker.Rank(s.Store!, s.Catalog!, s.Examples.Decided, 1000, includeDecided: true)), NoErrors);
        var previous = -1.0;
        for (var raw = -200.0; raw <= 200.0; raw += 0.25)
        {
            var p = classifier.Probability(raw);
            Assert.InRange(p, 0.0, 1.0);
            Assert.True(p >= previous, $"p({raw}) = {p} < {previous}");
            previous = p;
        }
        Assert.True(classifier.Probability(-200) < 0.01 && classifier.Probability(200) > 0.99);
        var byRaw = ranked.OrderBy(c => c.Score).Select(c => c.Probability!.Value).ToList();
        Assert.Equal(byRaw.Order(), byRaw);
        Assert.All(ranked, c => Assert.InRange(c.Probability!.Value, 0.0, 1.0));
        Assert.InRange(classifier.RawFor(0.5), -1e6, 1e6);
        Assert.Equal(0.5, classifier.Probability(classifier.RawFor(0.5)), 6);
    }

    [Fact]
    public void EstimatesComeFromHeldOutDecisions()
    {
        using var world = new SubjectWorld();
        var subject = world.CreateSubject();
        world.ReviewRound(subject, 24);
        world.ReviewRound(subject, 24);
        var (classifier, status) = world.Session().Run(subject.Name, s => (s.Ranker.Classifier!, s.Status(0.5, s.NextBatch(1).EstimatedRemaining)), NoErrors);
        Assert.Equal(classifier.Positives + classifier.Negatives, classifier.HeldOut.Count);
        var recalls = new[] { 0.1, 0.3, 0.5, 0.7, 0.9 }.Select(t => classifier.Estimate(t).Recall).ToList();
        Assert.Equal(recalls.OrderDescending(), recalls);
        Assert.InRange(status.Precision!.Value, 0.0, 1.0);
        Assert.InRange(status.Recall!.Value, 0.0, 1.0);
        Assert.True(status.Precision > 0.7, $"precision {status.Precision} on a well separated subject");
        Assert.NotNull(status.EstimatedUnreviewed);
        Assert.Equal(2, status.Rounds);
    }

    [Fact]
    public void ARoundThatFindsNothingSaysProbablyDone()
    {
        using var world = new SubjectWorld(positives: 12, distractors: 60);
        var subject = world.CreateSubject();
        SubjectStatus status = null!;
        for (var round = 0; round < 6 && !(status?.ProbablyDone ?? false); round++)
        {
            world.ReviewRound(subject, 12);
            status = world.Session().Run(subject.Name, s => s.Status(0.5, s.NextBatch(1).EstimatedRemaining), NoErrors);
        }
        Assert.True(status.ProbablyDone, $"not done after {status.Rounds} rounds: last {status.LastRoundApproved}/{status.LastRoundSize}, ~{status.EstimatedUnreviewed} left");
        Assert.True(SubjectExamples.Load(world.Library, subject, NoErrors).ReviewedPositives >= 9);
    }

    [Fact]
    public void AnApprovedVideoTeachesItsBestFrameAndARejectedOneEveryFrame()
    {
        using var world = new SubjectWorld();
        var subject = world.CreateSubject();
        var good = world.Fixture.AddAsset("clips/teddy.mp4", MediaType.Video);
        var bad = world.Fixture.AddAsset("clips/other.mp4", MediaType.Video);
        world.Fixture.Embed(
            (EmbeddingStore.Key(good.Id, 1), SearchFixture.Axis(9, 16)), (EmbeddingStore.Key(good.Id, 2), SearchFixture.Axis(0, 16)),
            (EmbeddingStore.Key(bad.Id, 1), SearchFixture.Axis(10, 16)), (EmbeddingStore.Key(bad.Id, 2), SearchFixture.Axis(11, 16)));
        SubjectDecisions.Record(world.Library, subject, [new SubjectDecision(good, true), new SubjectDecision(bad, false)], "test");
        var vectors = world.Session().Run(subject.Name, s => s.Ranker.Vectors, NoErrors);
        Assert.Contains(vectors.Positives, v => v[0] > 0.99f);          // frame 2, the one like the anchors
        Assert.DoesNotContain(vectors.Positives, v => v[9] > 0.99f);
        Assert.Contains(vectors.Negatives, v => v[10] > 0.99f);
        Assert.Contains(vectors.Negatives, v => v[11] > 0.99f);
    }
}
