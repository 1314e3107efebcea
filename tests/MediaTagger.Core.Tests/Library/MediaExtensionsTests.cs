using MediaTagger.Core.Library;

namespace MediaTagger.Core.Tests.Library;

public class MediaExtensionsTests
{
    [Theory]
    [InlineData("a.jpg", MediaType.Image)]
    [InlineData("a.JPEG", MediaType.Image)]
    [InlineData("a.HeIc", MediaType.Image)]
    [InlineData("a.cr3", MediaType.Image)]
    [InlineData("a.NEF", MediaType.Image)]
    [InlineData("a.psd", MediaType.Image)]
    [InlineData("a.avif", MediaType.Image)]
    [InlineData("clip.MOV", MediaType.Video)]
    [InlineData("clip.m2ts", MediaType.Video)]
    [InlineData("clip.3gp", MediaType.Video)]
    [InlineData("clip.webm", MediaType.Video)]
    public void Recognises_camera_and_phone_formats(string name, MediaType type) =>
        Assert.Equal(type, MediaExtensions.TypeOf(name));

    [Theory]
    [InlineData("notes.txt")]
    [InlineData("IMG_1.xmp")]
    [InlineData("Thumbs.db")]
    [InlineData("noext")]
    [InlineData("trailingdot.")]
    [InlineData("photo.jpg.backup")]
    public void Ignores_everything_else(string name) => Assert.Null(MediaExtensions.TypeOf(name));

    [Fact]
    public void Covers_every_extension_the_catalog_promises()
    {
        var expected = "jpg jpeg png tif tiff webp gif bmp heic heif avif psd dng cr2 cr3 nef arw orf rw2 raf srw pef mp4 mov m4v avi mkv mts m2ts 3gp wmv webm".Split(' ');
        Assert.Equal(expected.OrderBy(x => x), MediaExtensions.All.OrderBy(x => x));
    }

    [Theory]
    [InlineData("IMG_1.JPG", "jpg")]
    [InlineData("/photos/2020.trip/clip.M2TS", "m2ts")]
    [InlineData("archive.tar.GZ", "gz")]
    [InlineData("README", "")]
    [InlineData("trailingdot.", "")]
    [InlineData("dir.jpg/noext", "")]
    [InlineData("x.ÇAY", "çay")]
    public void Extension_is_the_lower_cased_suffix(string name, string extension) =>
        Assert.Equal(extension, MediaExtensions.ExtensionOf(name));

    [Theory]
    [InlineData("a.jpĝ")]
    [InlineData("dir.jpg/file")]
    [InlineData("a.j")]
    public void Non_ascii_short_and_folder_dots_are_not_media(string name) => Assert.Null(MediaExtensions.TypeOf(name));
}
