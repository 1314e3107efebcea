using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Subjects;

namespace MediaTagger.Core.Tests.Subjects;

public sealed class SubjectStoreTests
{
    [Fact]
    public void SavesReadableJsonAndFindsItWhateverTheCase()
    {
        using var folder = new TempFolder("subj");
        var library = MediaLibrary.Open(folder.Path);
        SubjectStore.Save(library, new Subject { Name = "Teddy Bear", Tag = "Pets | Teddy Bear", Anchors = [new SubjectAnchor { Id = new string('a', 40), RelativePath = "a.jpg" }] });
        var file = SubjectStore.PathFor(library, "teddy bear");
        Assert.True(File.Exists(file));
        Assert.Contains("\"name\": \"Teddy Bear\"", File.ReadAllText(file));
        var read = SubjectStore.Get(library, "TEDDY BEAR");
        Assert.Equal("Teddy Bear", read.Name);
        Assert.Equal("Pets|Teddy Bear", read.Tag);
        Assert.Single(read.Anchors);
        Assert.Equal(["Teddy Bear"], SubjectStore.List(library).Select(s => s.Name));
        Assert.True(SubjectStore.Remove(library, "teddy bear"));
        Assert.Null(SubjectStore.Find(library, "Teddy Bear"));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" Teddy")]
    [InlineData("Pets|Teddy")]
    [InlineData("a/b")]
    [InlineData("bad\u0001name")]
    public void RefusesNamesThatCannotBeATagLevel(string name)
    {
        var ex = Assert.Throws<MediaTaggerException>(() => SubjectStore.ValidateName(name));
        Assert.Equal(ErrorIds.SubjectNameInvalid, ex.ErrorId);
    }

    [Fact]
    public void ADamagedFileIsOneClearErrorAndTheOthersStillList()
    {
        using var folder = new TempFolder("subj");
        var library = MediaLibrary.Open(folder.Path);
        SubjectStore.Save(library, new Subject { Name = "Teddy", Tag = "Pets|Teddy" });
        File.WriteAllText(Path.Combine(SubjectStore.FolderFor(library), "broken.json"), "{ \"name\": ");
        var errors = new List<ItemError>();
        Assert.Equal(["Teddy"], SubjectStore.List(library, errors.Add).Select(s => s.Name));
        Assert.Equal(ErrorIds.SubjectUnreadable, Assert.Single(errors).ErrorId);
        var missing = Assert.Throws<MediaTaggerException>(() => SubjectStore.Get(library, "Rex"));
        Assert.Equal(ErrorIds.SubjectNotFound, missing.ErrorId);
        Assert.Contains("Teddy", missing.Message);
    }
}
