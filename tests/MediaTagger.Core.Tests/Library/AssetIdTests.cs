using System.Security.Cryptography;
using System.Text;
using MediaTagger.Core.Library;

namespace MediaTagger.Core.Tests.Library;

public class AssetIdTests
{
    [Theory]
    [InlineData("IMG_1234.JPG")]
    [InlineData("2021/Summer/IMG 1.jpg")]
    [InlineData("Zoë/Café ☕.heic")]
    public void Id_is_lowercase_sha1_of_the_relative_path(string rel)
    {
        var expected = Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(rel))).ToLowerInvariant();
        Assert.Equal(expected, AssetId.For(rel));
        Assert.True(AssetId.IsAssetId(AssetId.For(rel)));
    }

    [Fact]
    public void Backslashes_are_normalised_to_forward_slashes()
    {
        Assert.Equal(AssetId.For("a/b/c.jpg"), AssetId.For(@"a\b\c.jpg"));
    }

    [Fact]
    public void Known_value()
    {
        // printf '2021/IMG_0001.jpg' | sha1sum
        Assert.Equal("3ced696101e84e21734cea2d768a9c911bdea4b9", AssetId.For("2021/IMG_0001.jpg"));
        Assert.NotEqual(AssetId.For("2021/IMG_0001.jpg"), AssetId.For("2021/img_0001.jpg"));
    }

    [Fact]
    public void Managed_sha1_equals_the_platform_sha1_at_every_block_boundary()
    {
        // Lengths around 55/56/64 bytes decide whether the length field needs a second block.
        var random = new Random(16);
        for (var length = 0; length <= 300; length++)
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            Span<byte> ours = stackalloc byte[20];
            AssetId.Sha1(bytes, ours);
            Assert.Equal(SHA1.HashData(bytes), ours.ToArray());
        }
    }

    [Fact]
    public void Long_and_non_ascii_paths_hash_like_sha1sum()
    {
        var rel = string.Concat(Enumerable.Repeat("Überordner/çà ☕/", 80)) + "IMG.jpg";
        var expected = Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(rel))).ToLowerInvariant();
        Assert.Equal(expected, AssetId.For(rel));
        Assert.Equal(expected, AssetId.For(rel.Replace('/', '\\')));
    }
}
