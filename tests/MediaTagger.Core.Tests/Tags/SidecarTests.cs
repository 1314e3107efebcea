using MediaTagger.Core.Common;
using MediaTagger.Core.Profiles;
using MediaTagger.Core.Xmp;

namespace MediaTagger.Core.Tests.Tags;

public class SidecarTests
{
    [Fact]
    public void ResolvesThePreferredNamingOrAnExistingSidecarOfTheOther()
    {
        using var dir = new TempFolder("naming");
        var jpg = dir.File("IMG_1.JPG");
        Assert.Equal(Path.Combine(dir.Path, "IMG_1.xmp"), SidecarLocator.Resolve(jpg, SidecarNaming.Basename));
        Assert.Equal(jpg + ".xmp", SidecarLocator.Resolve(jpg, SidecarNaming.FullName));
        dir.File("IMG_1.JPG.xmp");
        Assert.Equal(jpg + ".xmp", SidecarLocator.Resolve(jpg, SidecarNaming.Basename));
        dir.File("IMG_1.xmp");
        Assert.Equal(Path.Combine(dir.Path, "IMG_1.xmp"), SidecarLocator.Resolve(jpg, SidecarNaming.Basename));
        Assert.Equal(2, SidecarLocator.Existing(jpg).Count);
    }

    [Fact]
    public void ReaderFindsTagsInEitherSidecarForExcludeFilters()
    {
        using var dir = new TempFolder("reader");
        var a = dir.File("a.jpg");
        var b = dir.File("b.jpg");
        var c = dir.File("c.jpg");
        var s = XmpSidecar.CreateNew();
        s.Add(["Dogs|Teddy|Puppy"], SubjectLevels.AllLevels);
        File.WriteAllBytes(a + ".xmp", s.Serialize());
        File.WriteAllText(Path.Combine(dir.Path, "c.xmp"), "not xmp");

        var errors = new List<ItemError>();
        Assert.True(XmpTagReader.HasAnyTag(a, ["dogs|teddy"]));
        Assert.False(XmpTagReader.HasAnyTag(a, ["Dogs|Rex"]));
        Assert.False(XmpTagReader.HasAnyTag(b, ["Dogs|Teddy"]));
        Assert.False(XmpTagReader.HasAnyTag(c, ["Dogs|Teddy"], errors.Add));
        Assert.Equal(ErrorIds.XmpSidecarUnreadable, Assert.Single(errors).ErrorId);
    }

    [Fact]
    public void RefusesReadOnlyAndHugeSidecarsAndKeepsPermissions()
    {
        using var dir = new TempFolder("perm");
        var media = dir.File("a.jpg");
        var sidecar = Path.Combine(dir.Path, "a.xmp");
        File.WriteAllBytes(sidecar, XmpSidecar.CreateNew().Serialize());
        var journalPath = Path.Combine(dir.Path, "j.jsonl");
        TagEditRequest Request() => new() { Sidecar = sidecar, MediaPaths = [media], Add = ["A"], JournalPath = journalPath };
        using var journal = TagJournal.OpenForAppend(journalPath);

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(sidecar, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
            Assert.NotNull(XmpTagEditor.Commit(XmpTagEditor.Plan(Request()), journal));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(sidecar));
        }

        var before = File.ReadAllBytes(sidecar);
        new FileInfo(sidecar).IsReadOnly = true;
        var planB = XmpTagEditor.Plan(new TagEditRequest { Sidecar = sidecar, MediaPaths = [media], Add = ["B"], JournalPath = journalPath });
        Assert.Equal(ErrorIds.XmpSidecarWriteFailed, Assert.Throws<MediaTaggerException>(() => XmpTagEditor.Commit(planB, journal)).ErrorId);
        Assert.Equal(before, File.ReadAllBytes(sidecar));
        new FileInfo(sidecar).IsReadOnly = false;

        File.WriteAllBytes(sidecar, new byte[33 << 20]);
        Assert.Equal(ErrorIds.XmpSidecarUnreadable, Assert.Throws<MediaTaggerException>(() => XmpTagEditor.Plan(Request())).ErrorId);
    }

    [Fact]
    public void ShippedProfilesLoadAndValidate()
    {
        var folder = FindShippedProfiles();
        using var user = new TempFolder("profiles");
        var store = new ProfileStore(folder, user.Path);
        var all = store.List();
        Assert.Equal(["events", "objects", "people", "pets", "places"], all.Select(p => p.Name));
        var pets = store.Get("pets");
        Assert.Equal("Pets|Teddy", pets.TagFor("Teddy"));
        Assert.Equal(SidecarNaming.Basename, pets.SidecarNaming);
        Assert.Contains("year", pets.AutoTags);
        Assert.Contains("camera", pets.AutoTags);
        Assert.True(pets.QueryDefaults.Image.MinScore != pets.QueryDefaults.Text.MinScore || pets.QueryDefaults.Image.K != pets.QueryDefaults.Text.K);

        File.WriteAllText(Path.Combine(user.Path, "pets.json"), """{ "tagTemplate": "Animals|{label}", "sidecarNaming": "FullName", "subjectLevels": "Leaf" }""");
        File.WriteAllText(Path.Combine(user.Path, "bad.json"), """{ "tagTemplate": "Animals", "autoTags": ["weather"] }""");
        var errors = new List<ItemError>();
        var mine = store.List(errors.Add).Single(p => p.Name == "pets");
        Assert.False(mine.BuiltIn);
        Assert.Equal(SidecarNaming.FullName, mine.SidecarNaming);
        Assert.Equal(SubjectLevels.Leaf, mine.SubjectLevels);
        Assert.Equal(ErrorIds.ProfileInvalid, Assert.Single(errors).ErrorId);
    }

    static string FindShippedProfiles()
    {
        for (var dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
            if (File.Exists(Path.Combine(dir, "profiles", "pets.json"))) return Path.Combine(dir, "profiles");
        throw new InvalidOperationException("profiles/ not found above the test folder");
    }
}
