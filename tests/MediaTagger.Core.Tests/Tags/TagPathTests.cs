using MediaTagger.Core.Common;
using MediaTagger.Core.Metadata;
using MediaTagger.Core.Xmp;

namespace MediaTagger.Core.Tests.Tags;

public class TagPathTests
{
    [Theory]
    [InlineData("Dogs|Teddy", "Dogs|Teddy")]
    [InlineData(" Dogs | Teddy ", "Dogs|Teddy")]
    [InlineData("Zürich", "Zürich")]
    public void Normalizes(string input, string expected) => Assert.Equal(expected, TagPath.Normalize(input));

    [Theory]
    [InlineData("Dogs|Te/ddy")]
    [InlineData("Dogs||Teddy")]
    [InlineData("|Dogs")]
    [InlineData("")]
    public void RejectsReservedCharactersAndEmptyLevels(string tag)
    {
        var ex = Assert.Throws<MediaTaggerException>(() => TagPath.Normalize(tag));
        Assert.Equal(ErrorIds.XmpTagInvalid, ex.ErrorId);
    }

    [Theory]
    [InlineData("Teddy|Rex")]
    [InlineData("AC/DC")]
    public void RejectsSeparatorsInALabel(string label) =>
        Assert.Equal(ErrorIds.XmpTagInvalid, Assert.Throws<MediaTaggerException>(() => TagPath.ValidateLevel(label)).ErrorId);

    [Theory]
    [InlineData("Dogs|Teddy", "Dogs|Teddy", true)]
    [InlineData("dogs|teddy", "Dogs|Teddy", true)]
    [InlineData("Dogs|Teddy|Puppy", "Dogs|Teddy", true)]
    [InlineData("Dogs|Teddybear", "Dogs|Teddy", false)]
    [InlineData("Dogs", "Dogs|Teddy", false)]
    public void MatchesATagAndWhatLiesBelowIt(string tag, string query, bool expected) => Assert.Equal(expected, TagPath.Matches(tag, query));

    [Fact]
    public void SanitizesMetadataValues() => Assert.Equal("EOS 5D Mark II - IV", TagPath.Sanitize("  EOS 5D  Mark II / IV "));
}

public class CameraNameTests
{
    [Theory]
    [InlineData("NIKON CORPORATION", "NIKON D750", "NIKON D750")]
    [InlineData("Canon", "Canon EOS 5D", "Canon EOS 5D")]
    [InlineData("FUJIFILM", "X-T3", "FUJIFILM X-T3")]
    [InlineData("OLYMPUS IMAGING CORP.", "E-M5", "OLYMPUS E-M5")]
    [InlineData("PENTAX Corporation", "PENTAX K-5", "PENTAX K-5")]
    [InlineData("SAMSUNG Co., Ltd.", "SM-G991B", "SAMSUNG SM-G991B")]
    [InlineData("Apple", "iPhone 12", "Apple iPhone 12")]
    [InlineData(null, "X100V", "X100V")]
    [InlineData("Leica Camera AG", null, "Leica Camera")]
    [InlineData(null, null, null)]
    public void CombinesMakeAndModel(string? make, string? model, string? expected) => Assert.Equal(expected, CameraName.Format(make, model));

    [Fact]
    public void BuildsTheRequestedAutomaticTags()
    {
        var m = new MediaMetadata { Taken = new DateTime(2021, 7, 4, 10, 0, 0), Make = "Canon", Model = "Canon EOS 5D", Latitude = -33.8568, Longitude = 151.2153 };
        Assert.Equal(["Year|2021", "Month|2021-07", "Camera|Canon EOS 5D", "Place|GPS|33.86S 151.22E"], AutoTags.For(m, ["year", "month", "camera", "place"]));
        Assert.Equal(["Year|2021"], AutoTags.For(m, ["Year"]));
        var named = m with { Country = "Australia", City = "Sydney / CBD" };
        Assert.Equal(["Place|Australia|Sydney - CBD"], AutoTags.For(named, ["place"]));
        Assert.Throws<MediaTaggerException>(() => AutoTags.Validate(["weather"]));
    }
}
