using MediaTagger.Core.Common;
using MediaTagger.Core.Xmp;

namespace MediaTagger.Core.Tests.Tags;

public class TagJournalTests
{
    static TagJournalEntry Entry(string id, string run, int minute, TagOperation op = TagOperation.Set, string? undoes = null) => new()
    {
        Id = id, Run = run, Time = new DateTime(2026, 1, 1, 10, minute, 0, DateTimeKind.Utc), Operation = op, Sidecar = "/x/" + id + ".xmp", File = "/x/" + id + ".jpg", Undoes = undoes,
    };

    [Fact]
    public void AppendsLinesAndRecoversFromAPartialLastLine()
    {
        using var dir = new TempFolder("journal");
        var path = Path.Combine(dir.Path, "data", "tag-journal.jsonl");
        using (var j = TagJournal.OpenForAppend(path)) j.AppendIntents([Entry("a", "r1", 1)]);
        File.AppendAllText(path, "{\"id\":\"broken");   // a crash mid-line
        using (var j = TagJournal.OpenForAppend(path)) j.AppendIntents([Entry("b", "r2", 2)]);

        var errors = new List<ItemError>();
        var entries = TagJournal.Read(path, errors.Add);
        Assert.Equal(["a", "b"], entries.Select(e => e.Id));
        Assert.Equal(ErrorIds.XmpJournalUnreadable, Assert.Single(errors).ErrorId);
        Assert.Equal(path, entries[0].Journal);
        Assert.Equal(DateTimeKind.Utc, entries[0].Time.Kind);
    }

    [Fact]
    public void SelectsTheLastRunByDefaultAndSkipsWhatWasUndone()
    {
        var journal = new List<TagJournalEntry>
        {
            Entry("a", "r1", 1), Entry("b", "r2", 2), Entry("c", "r2", 3), Entry("d", "r3", 4),
            Entry("u", "r4", 5, TagOperation.Undo, undoes: "d"),
        };
        Assert.Equal(["c", "b"], XmpTagUndo.Select(journal, null, null).Select(e => e.Id));
        Assert.Equal(["c"], XmpTagUndo.Select(journal, null, 1).Select(e => e.Id));
        Assert.Equal(["c", "b", "a"], XmpTagUndo.Select(journal, null, 10).Select(e => e.Id));
        Assert.Equal(["c", "b"], XmpTagUndo.Select(journal, new DateTime(2026, 1, 1, 10, 2, 0, DateTimeKind.Utc), null).Select(e => e.Id));
    }

    [Fact]
    public void UndoesWritesAndRefusesWhenTheSidecarChanged()
    {
        using var dir = new TempFolder("undo");
        var media = dir.File("IMG_1.JPG");
        var sidecar = Path.Combine(dir.Path, "IMG_1.xmp");
        var journalPath = Path.Combine(dir.Path, "journal.jsonl");
        TagJournalEntry? first, second;
        using (var journal = TagJournal.OpenForAppend(journalPath))
        {
            first = XmpTagEditor.Commit(XmpTagEditor.Plan(new TagEditRequest { Sidecar = sidecar, MediaPaths = [media], Add = ["A|B"], JournalPath = journalPath, Run = "1" }), journal);
            second = XmpTagEditor.Commit(XmpTagEditor.Plan(new TagEditRequest { Sidecar = sidecar, MediaPaths = [media], Add = ["C"], JournalPath = journalPath, Run = "2" }), journal);
        }
        Assert.NotNull(first);
        Assert.Null(first.HashBefore);
        Assert.Equal(first.HashAfter, second!.HashBefore);

        var entries = TagJournal.Read(journalPath);
        var undo = new XmpTagUndo(entries);
        using (var journal = TagJournal.OpenForAppend(journalPath))
        {
            // Someone else edits the sidecar: nothing may be undone.
            var original = File.ReadAllBytes(sidecar);
            File.WriteAllBytes(sidecar, [.. original, (byte)'\n']);
            Assert.Equal(ErrorIds.XmpUndoConflict, Assert.Throws<MediaTaggerException>(() => undo.Plan(entries[1])).ErrorId);
            File.WriteAllBytes(sidecar, original);

            undo.Commit(undo.Plan(entries[1]), journal);
            Assert.Equal(["A|B"], XmpTagReader.SidecarTags(media));
            // The second undo follows the first although the bytes were re-serialised.
            undo.Commit(undo.Plan(entries[0]), journal);
        }
        Assert.False(File.Exists(sidecar));
        Assert.Empty(XmpTagUndo.Select(TagJournal.Read(journalPath), null, 10));
    }
}
