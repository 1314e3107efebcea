using System.Text.Json;
using MediaTagger.Core.Common;
using MediaTagger.Core.Search;

namespace MediaTagger.Core.Tests.Search;

public class QueryFilesTests
{
    static QueryRecord Record(int results) => new()
    {
        Kind = "similar",
        Library = "/photos/ünïcode \"quoted\"",
        Model = "resnet18",
        Anchors = ["a.jpg", "c7912baebe758bc65da2b7b8bbf9a7dd23c9fd98"],
        NegativeAnchors = ["b.jpg"],
        Text = ["a dog"],
        NegativeText = ["a cat"],
        K = 700,
        MinScore = -0.25,
        Profile = "pets",
        Results = Enumerable.Range(0, results).Select(i => new QueryResultItem
        {
            Id = $"{i:x40}",
            Path = $"/photos/ünïcode \"quoted\"/IMG_{i:D4} <&>.jpg",
            RelativePath = $"IMG_{i:D4} <&>.jpg",
            Type = i % 5 == 0 ? "video" : "image",
            Score = 1 - i / 3.0,
            Rank = i + 1,
            BestAnchor = i % 2 == 0 ? "a.jpg" : null,
            BestAnchorView = i % 3 == 0 ? AnchorView.Mirrored : null,
            BestPrompt = i % 2 == 1 ? "a dog" : null,
            BestFrame = i % 5 == 0 ? i : null,
            NegativeScore = i % 4 == 0 ? -i / 7.0 : null,
            Margin = i % 4 == 0 ? 0.125 : null,
        }).ToList(),
    };

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(100)]
    [InlineData(1001)]
    public void Writes_the_record_byte_for_byte_as_the_serializer_writes_it_whole_whether_or_not_its_halves_are_serialised_apart(int results)
    {
        var record = Record(results);
        var expected = JsonSerializer.SerializeToUtf8Bytes(record, Json.Compact);
        Assert.Equal(System.Text.Encoding.UTF8.GetString(expected), System.Text.Encoding.UTF8.GetString(QueryFiles.ToCompactJson(record)));
        Assert.Equal(results, record.Results.Count); // the record itself is left as it was
    }

    [Fact]
    public void A_prepared_last_query_file_replaces_the_old_one_when_written_and_vanishes_when_not_with_a_killed_query_s_debris()
    {
        using var f = new SearchFixture();
        QueryFiles.Write(f.Library, Record(3), null);
        var before = File.ReadAllBytes(f.Library.LastQueryFile);

        // A query that fails or is stopped disposes its prepared file unused: nothing changes, nothing is left, and
        // what a killed query left (a dead process's temporary file) goes too.
        var debris = Path.Combine(f.Library.DataPath, $".last_query.json.mt{AtomicFile.HostTag}-{int.MaxValue - 1}.0badf00d.tmp");
        File.WriteAllText(debris, "{");
        QueryFiles.PrepareLast(f.Library).Dispose();
        Assert.False(File.Exists(debris));
        Assert.Equal(before, File.ReadAllBytes(f.Library.LastQueryFile));
        Assert.Equal(["last_query.json"], Directory.GetFiles(f.Library.DataPath, "*query*", SearchOption.TopDirectoryOnly).Select(Path.GetFileName));
        Assert.Empty(Directory.GetFiles(f.Library.DataPath, ".*.tmp"));

        using (var reader = new FileStream(f.Library.LastQueryFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            using var prepared = QueryFiles.PrepareLast(f.Library);
            QueryFiles.Write(f.Library, Record(40), null, prepared);
            Assert.Equal(before, new BinaryReader(reader).ReadBytes(before.Length + 1)); // an open reader keeps the old content
        }
        Assert.Equal(40, Json.Read<QueryRecord>(f.Library.LastQueryFile)!.Results.Count);
        Assert.Empty(Directory.GetFiles(f.Library.DataPath, ".*.tmp"));
    }
}
