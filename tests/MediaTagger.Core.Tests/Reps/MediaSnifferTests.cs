using ImageMagick;
using MediaTagger.Core.Reps;

namespace MediaTagger.Core.Tests.Reps;

public class MediaSnifferTests
{
    [Theory]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 0, 0, 0, 0, 0, 0, 0 }, "a.png", MagickFormat.Jpeg)]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0 }, "a.jpg", MagickFormat.Png)]
    [InlineData(new byte[] { (byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'9', (byte)'a', 0, 0, 0, 0, 0, 0 }, "a.gif", MagickFormat.Gif)]
    [InlineData(new byte[] { (byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0, 0, 0, 0, 0 }, "a.tif", MagickFormat.Tiff)]
    [InlineData(new byte[] { (byte)'8', (byte)'B', (byte)'P', (byte)'S', 0, 1, 0, 0, 0, 0, 0, 0 }, "a.psd", MagickFormat.Psd)]
    [InlineData(new byte[] { 0, 0, 0, 24, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'h', (byte)'e', (byte)'i', (byte)'c' }, "a.heic", MagickFormat.Heic)]
    [InlineData(new byte[] { 0, 0, 0, 24, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'a', (byte)'v', (byte)'i', (byte)'f' }, "a.heic", MagickFormat.Avif)]
    [InlineData(new byte[] { (byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0, 0, 0, 0, 0 }, "IMG_1.CR2", MagickFormat.Cr2)]
    public void Tells_the_format_from_content_not_name(byte[] header, string name, MagickFormat expected) =>
        Assert.Equal(expected, MediaSniffer.Sniff(header, name));

    [Theory]
    [InlineData("hello, this is text")]
    [InlineData("<svg xmlns='http://www.w3.org/2000/svg'/>")]
    [InlineData("%!PS-Adobe-3.0 EPSF")]
    [InlineData("")]
    public void Refuses_what_is_not_an_image_we_handle(string content) =>
        Assert.Null(MediaSniffer.Sniff(System.Text.Encoding.ASCII.GetBytes(content), "photo.jpg"));

    [Fact]
    public void Reads_the_frame_size_of_a_real_jpeg()
    {
        var path = Directory.GetFiles("/usr/share/wallpapers", "2560x1600.jpg", SearchOption.AllDirectories).FirstOrDefault();
        Assert.NotNull(path); // plasma-workspace-wallpapers, installed by build.ps1 Test
        Assert.True(MediaSniffer.TryGetJpegSize(File.ReadAllBytes(path!), out var w, out var h));
        Assert.Equal((2560, 1600), (w, h));
    }
}
