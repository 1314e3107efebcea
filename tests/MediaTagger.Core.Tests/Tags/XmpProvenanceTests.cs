using MediaTagger.Core.Xmp;

namespace MediaTagger.Core.Tests.Tags;

public class XmpProvenanceTests
{
    static TagProvenance Teddy(double score, DateTime decided) => new()
    {
        Tag = "Pets|Teddy", Subject = "Teddy", Source = "review", Model = "resnet18", Score = score, ScoreKind = "probability", Decided = decided, DecidedBy = "ann", Review = "r1.json",
    };

    static TagEditRequest Request(string sidecar, string journal, List<TagProvenance> provenance) => new()
    {
        Sidecar = sidecar, MediaPaths = [sidecar[..^4] + ".jpg"], JournalPath = journal, Add = ["Pets|Teddy"], Provenance = provenance,
    };

    [Fact]
    public void A_new_decision_replaces_the_entry_of_its_tag_and_undo_puts_the_old_one_back()
    {
        using var dir = new TempFolder("provenance");
        var sidecar = Path.Combine(dir.Path, "a.xmp");
        var journalPath = Path.Combine(dir.Path, "journal.jsonl");
        var first = Teddy(0.912345678, new DateTime(2026, 11, 27, 10, 0, 0, 250, DateTimeKind.Utc));
        using var journal = TagJournal.OpenForAppend(journalPath);
        Assert.NotNull(XmpTagEditor.Commit(XmpTagEditor.Plan(Request(sidecar, journalPath, [first])), journal));
        var afterFirst = File.ReadAllBytes(sidecar);
        var read = Assert.Single(XmpProvenance.Read(XmpSidecar.Parse(afterFirst, sidecar).Meta)).Entry;
        // Kept to the precision the sidecar holds, and compared as such: writing the same facts again changes nothing.
        Assert.Equal(first.Normalized(), read);
        Assert.Equal(0.912346, read.Score);
        Assert.False(XmpTagEditor.Plan(Request(sidecar, journalPath, [first])).HasChanges);

        var second = Teddy(0.4, new DateTime(2026, 11, 27, 11, 0, 0, DateTimeKind.Utc));
        var entry = XmpTagEditor.Commit(XmpTagEditor.Plan(Request(sidecar, journalPath, [second])), journal)!;
        Assert.Equal(second.Normalized(), Assert.Single(XmpProvenance.Read(XmpSidecar.Parse(File.ReadAllBytes(sidecar), sidecar).Meta)).Entry);
        Assert.Empty(entry.Added);   // the tag was there: only its provenance changed

        var undo = new XmpTagUndo(TagJournal.Read(journalPath));
        undo.Commit(undo.Plan(entry), journal);
        Assert.Equal(first.Normalized(), Assert.Single(XmpProvenance.Read(XmpSidecar.Parse(File.ReadAllBytes(sidecar), sidecar).Meta)).Entry);
    }
}
