using ImageMagick;

namespace MediaTagger.Core.Tests.Embeddings;

/// <summary>Real photographs from Debian packages, and coloured JPEGs made at test time.</summary>
static class TestImages
{
    /// <summary>Distinct real photos (one size of each wallpaper, skimage samples), smallest first.</summary>
    public static List<string> Photos(int count)
    {
        var photos = new List<string>();
        if (Directory.Exists("/usr/share/wallpapers"))
            foreach (var dir in Directory.EnumerateDirectories("/usr/share/wallpapers").Order(StringComparer.Ordinal))
            {
                var images = Path.Combine(dir, "contents", "images");
                if (!Directory.Exists(images)) continue;
                var smallest = Directory.EnumerateFiles(images, "*.jpg").OrderBy(f => new FileInfo(f).Length).FirstOrDefault();
                if (smallest is not null) photos.Add(smallest);
            }
        foreach (var name in new[] { "astronaut.png", "coffee.png", "chelsea.png", "motorcycle_left.png", "rocket.jpg" })
        {
            var p = Path.Combine("/usr/lib/python3/dist-packages/skimage/data", name);
            if (File.Exists(p)) photos.Add(p);
        }
        Assert.True(photos.Count >= count, "Real test photos missing: install plasma-workspace-wallpapers and python3-skimage.");
        return photos.Take(count).ToList();
    }

    /// <summary>Every real photo the tests use: one size (the smallest, JPEG or PNG) of each wallpaper, and the skimage photographs.</summary>
    public static List<string> AllPhotos()
    {
        var photos = new List<string>();
        if (Directory.Exists("/usr/share/wallpapers"))
            foreach (var dir in Directory.EnumerateDirectories("/usr/share/wallpapers").Order(StringComparer.Ordinal))
            {
                var images = Path.Combine(dir, "contents", "images");
                if (!Directory.Exists(images)) continue;
                var smallest = Directory.EnumerateFiles(images).Where(f => f.EndsWith(".jpg", StringComparison.Ordinal) || f.EndsWith(".png", StringComparison.Ordinal))
                    .OrderBy(f => new FileInfo(f).Length).FirstOrDefault();
                if (smallest is not null) photos.Add(smallest);
            }
        foreach (var name in new[] { "astronaut.png", "coffee.png", "chelsea.png", "motorcycle_left.png", "rocket.jpg", "hubble_deep_field.jpg", "retina.jpg" })
        {
            var p = Path.Combine("/usr/lib/python3/dist-packages/skimage/data", name);
            if (File.Exists(p)) photos.Add(p);
        }
        Assert.True(photos.Count >= 20, "Real test photos missing: install plasma-workspace-wallpapers and python3-skimage.");
        return photos;
    }

    /// <summary>A JPEG that is mostly <paramref name="colour"/> (with a soft gradient, so it is a real picture to decode).</summary>
    public static string Coloured(string folder, string colour, int width = 320, int height = 240)
    {
        var path = Path.Combine(folder, $"{colour}-{width}x{height}.jpg");
        using var image = new MagickImage($"gradient:{colour}-{Darker(colour)}", new MagickReadSettings { Width = (uint)width, Height = (uint)height });
        image.Quality = 90;
        image.Write(path, MagickFormat.Jpeg);
        return path;
    }

    static string Darker(string colour) => colour switch
    {
        "red" => "#b00000",
        "green" => "#00a000",
        "blue" => "#0000b0",
        _ => "gray",
    };

    /// <summary>A resized copy of <paramref name="photo"/> (same picture, other pixels).</summary>
    public static string Resized(string photo, string folder, int longEdge)
    {
        var path = Path.Combine(folder, "resized-" + Path.GetFileNameWithoutExtension(photo) + ".jpg");
        using var image = new MagickImage(photo);
        image.Resize((uint)longEdge, (uint)longEdge);
        image.Quality = 85;
        image.Write(path, MagickFormat.Jpeg);
        return path;
    }
}
