using MediaTagger.Core.Library;

namespace MediaTagger.Core.Tests.Library;

public class GlobTests
{
    [Theory]
    [InlineData("*.tmp.jpg", "a.tmp.jpg", "x/a.tmp.jpg", true)]
    [InlineData("Backup", "Backup", "2020/Backup", true)]
    [InlineData("Backup", "Backups", "Backups", false)]
    [InlineData("2019/Exports/*", "a.jpg", "2019/Exports/a.jpg", true)]
    [InlineData("2019/Exports/*", "a.jpg", "2019/Exports/sub/a.jpg", false)]
    [InlineData("2019/**", "a.jpg", "2019/Exports/sub/a.jpg", true)]
    [InlineData("**/raw", "raw", "a/b/raw", true)]
    [InlineData("**/raw", "raw", "raw", true)]
    [InlineData("IMG_00?.jpg", "IMG_001.jpg", "IMG_001.jpg", true)]
    [InlineData("IMG_00?.jpg", "IMG_0010.jpg", "IMG_0010.jpg", false)]
    public void Matches_names_or_relative_paths(string pattern, string name, string rel, bool expected) =>
        Assert.Equal(expected, new Glob(pattern).IsMatch(name, rel));
}
