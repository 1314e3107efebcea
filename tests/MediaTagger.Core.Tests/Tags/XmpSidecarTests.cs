using System.Text;
using MediaTagger.Core.Common;
using MediaTagger.Core.Xmp;

namespace MediaTagger.Core.Tests.Tags;

public class XmpSidecarTests
{
    const string Foreign = """
        <x:xmpmeta xmlns:x="adobe:ns:meta/">
         <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
          <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"
            xmlns:lr="http://ns.adobe.com/lightroom/1.0/" xmlns:zz="http://example.com/zz/" xmp:Rating="4" zz:Note="Grüße">
           <dc:subject><rdf:Bag><rdf:li>Dogs</rdf:li><rdf:li>Beach</rdf:li></rdf:Bag></dc:subject>
           <lr:hierarchicalSubject><rdf:Bag><rdf:li>Dogs|Rex</rdf:li></rdf:Bag></lr:hierarchicalSubject>
          </rdf:Description>
         </rdf:RDF>
        </x:xmpmeta>
        """;

    static XmpSidecar Load(string xml) => XmpSidecar.Parse(Encoding.UTF8.GetBytes(xml), "test.xmp");

    [Fact]
    public void ReadsHierarchicalTagsAndFlatKeywordsThatAreNoLevel()
    {
        Assert.Equal(["Dogs|Rex", "Beach"], Load(Foreign).Tags);
    }

    [Fact]
    public void AddsAsASetAndKeepsForeignProperties()
    {
        var s = Load(Foreign);
        var changes = s.Add(["Dogs|Teddy", "Dogs|Rex"], SubjectLevels.AllLevels);
        Assert.Equal(["Dogs|Teddy"], changes.Single(c => c.Property == "lr:hierarchicalSubject").Added);
        // A TagsList we create starts with the tags lr:hierarchicalSubject already has (digiKam reads it first).
        Assert.Equal(["Dogs/Rex", "Dogs/Teddy"], changes.Single(c => c.Property == "digiKam:TagsList").Added);
        Assert.Equal(["Teddy", "Rex"], changes.Single(c => c.Property == "dc:subject").Added);
        Assert.Empty(s.Add(["Dogs|Teddy"], SubjectLevels.AllLevels));

        var bytes = s.Serialize();
        Assert.False(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble), "no BOM at the start");
        var text = Encoding.UTF8.GetString(bytes);
        Assert.StartsWith("<?xpacket begin=\"\uFEFF\"", text);
        Assert.EndsWith("<?xpacket end=\"w\"?>", text);
        Assert.Contains("Grüße", text);
        Assert.Contains("xmp:Rating=\"4\"", text);
        Assert.Contains("<digiKam:TagsList>", text);
        Assert.Equal(["Dogs|Rex", "Dogs|Teddy", "Beach"], XmpSidecar.Parse(bytes, "again").Tags);
    }

    [Fact]
    public void LeafLevelsPutOnlyTheLastLevelIntoDcSubject()
    {
        var s = XmpSidecar.CreateNew();
        var changes = s.Add(["Pets|Teddy"], SubjectLevels.Leaf);
        Assert.Equal(["Teddy"], changes.Single(c => c.Property == "dc:subject").Added);
    }

    [Fact]
    public void RemovesExactlyTheTagsAndKeepsSharedLevels()
    {
        var s = Load(Foreign);
        s.Add(["Dogs|Teddy"], SubjectLevels.AllLevels);
        var changes = s.Remove(["Dogs|Teddy"]);
        Assert.Equal(["Teddy"], changes.Single(c => c.Property == "dc:subject").Removed);
        Assert.Equal(["Dogs|Rex", "Beach"], s.Tags);
    }

    [Fact]
    public void RevertRestoresTheFormerContentExactly()
    {
        var before = Load(Foreign).Serialize();
        var s = XmpSidecar.Parse(before, "x");
        var changes = s.Add(["Dogs|Teddy", "Beach"], SubjectLevels.AllLevels);
        changes.AddRange(s.Remove(["Dogs|Rex"]));
        var reverted = XmpSidecar.Parse(s.Serialize(), "x");
        reverted.Revert(((IEnumerable<PropertyChange>)changes).Reverse());
        Assert.Equal(Encoding.UTF8.GetString(before), Encoding.UTF8.GetString(reverted.Serialize()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF")]
    [InlineData("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x:xmpmeta xmlns:x=\"adobe:ns:meta/\">&e;</x:xmpmeta>")]
    public void RefusesWhatIsNotXmp(string content)
    {
        var ex = Assert.Throws<MediaTaggerException>(() => Load(content));
        Assert.Equal(ErrorIds.XmpSidecarUnreadable, ex.ErrorId);
        Assert.Equal("test.xmp", ex.Target);
    }

    [Fact]
    public void ReportsATagPropertyThatIsNoList()
    {
        var s = Load(Foreign.Replace("<lr:hierarchicalSubject><rdf:Bag><rdf:li>Dogs|Rex</rdf:li></rdf:Bag></lr:hierarchicalSubject>", "<lr:hierarchicalSubject>Dogs|Rex</lr:hierarchicalSubject>"));
        Assert.Equal(ErrorIds.XmpSidecarUnsupported, Assert.Throws<MediaTaggerException>(() => s.Add(["A|B"], SubjectLevels.AllLevels)).ErrorId);
    }
}
