using System.Text;
using MediaTagger.Core.Common;

namespace MediaTagger.Core.Tests.Library;

public class AtomicFileTests
{
    static void Write(string path, string text, bool flush) => AtomicFile.Write(path, s => s.Write(Encoding.UTF8.GetBytes(text)), flush);

    [Fact]
    public void An_unflushed_write_replaces_the_file_in_one_step_and_leaves_no_temporary_file()
    {
        using var t = new TempFolder("atomic");
        var path = Path.Combine(t.Path, "last_query.json");
        Write(path, "first", flush: false); // no file yet: a plain rename
        Assert.Equal("first", File.ReadAllText(path));

        // A reader that opened the old file keeps reading the old content; the name gives the new one.
        using (var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            Write(path, "second, longer", flush: false);
            Assert.Equal("first", new StreamReader(reader).ReadToEnd());
        }
        Assert.Equal("second, longer", File.ReadAllText(path));
        Write(path, "third", flush: true);
        Assert.Equal("third", File.ReadAllText(path));
        Assert.Equal(["last_query.json"], Directory.GetFileSystemEntries(t.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_folder_in_the_way_is_refused_and_kept_where_it_is()
    {
        using var t = new TempFolder("atomic");
        var path = Path.Combine(t.Path, "last_query.json");
        t.File("last_query.json/inside.txt", "kept");
        Assert.ThrowsAny<IOException>(() => Write(path, "new", flush: false));
        Assert.Equal("kept", File.ReadAllText(Path.Combine(path, "inside.txt")));
        Assert.Equal(["last_query.json"], Directory.GetFileSystemEntries(t.Path).Select(Path.GetFileName));
    }
}
