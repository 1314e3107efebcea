using System.Text;
using System.Text.Json;
using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Xmp;

namespace MediaTagger.Core.Subjects;

/// <summary>
/// Owns <c>data/subjects/*.json</c>: one readable JSON file per subject, written atomically, validated on read.
/// File names are derived from the name (case folded, unsafe characters escaped) so two spellings of one name are one subject.
/// </summary>
public static class SubjectStore
{
    public static string FolderFor(MediaLibrary library) => Path.Combine(library.DataPath, "subjects");

    public static string PathFor(MediaLibrary library, string name) => Path.Combine(FolderFor(library), FileNameFor(name));

    /// <summary>Every subject of the library, by name; an unreadable file is reported and skipped.</summary>
    public static List<Subject> List(MediaLibrary library, Action<ItemError>? onError = null)
    {
        var folder = FolderFor(library);
        var subjects = new List<Subject>();
        if (!Directory.Exists(folder)) return subjects;
        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(file).StartsWith('.')) continue;   // an interrupted write's temp file
            try { subjects.Add(Read(file)); }
            catch (MediaTaggerException ex) { onError?.Invoke(ex.ToItemError()); }
        }
        return subjects.OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>The subject named <paramref name="name"/> (case ignored), or null.</summary>
    /// <exception cref="MediaTaggerException">Its file exists but cannot be read.</exception>
    public static Subject? Find(MediaLibrary library, string name)
    {
        var file = PathFor(library, ValidateName(name));
        return File.Exists(file) ? Read(file) : null;
    }

    /// <exception cref="MediaTaggerException">No such subject (the message lists those there are), or it cannot be read.</exception>
    public static Subject Get(MediaLibrary library, string name)
    {
        if (Find(library, name) is { } subject) return subject;
        var names = List(library).Select(s => s.Name).ToList();
        throw new MediaTaggerException(ErrorIds.SubjectNotFound,
            $"The library '{library.Root}' has no subject '{name}'" + (names.Count == 0 ? ". Create one with New-MediaSubject." : $" (it has: {string.Join(", ", names)})."),
            ErrorKind.ObjectNotFound, name);
    }

    public static void Save(MediaLibrary library, Subject subject)
    {
        ValidateName(subject.Name);
        subject.Tag = TagPath.Normalize(subject.Tag);
        subject.ModifiedUtc = DateTime.UtcNow;
        var file = PathFor(library, subject.Name);
        try
        {
            Json.Write(file, subject);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MediaTaggerException(ErrorIds.SubjectWriteFailed, $"The subject '{subject.Name}' could not be saved to '{file}': {ex.Message}", ErrorKind.WriteError, file, ex);
        }
    }

    /// <summary>Deletes the subject's file (its review decisions stay: they are the record of what a person said).</summary>
    public static bool Remove(MediaLibrary library, string name)
    {
        var file = PathFor(library, ValidateName(name));
        if (!File.Exists(file)) return false;
        File.Delete(file);
        return true;
    }

    /// <summary>A name is a tag level: not empty, no '|' or '/' (they separate levels), no control characters.</summary>
    public static string ValidateName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 200 || name.Trim() != name || name.IndexOfAny(['|', '/', '\\']) >= 0 || name.Any(char.IsControl))
            throw new MediaTaggerException(ErrorIds.SubjectNameInvalid,
                $"'{name}' cannot name a subject: use a word or short phrase without '|', '/', '\\', control characters or surrounding spaces (e.g. 'Teddy').",
                ErrorKind.InvalidArgument, name);
        return name;
    }

    static string FileNameFor(string name)
    {
        var sb = new StringBuilder();
        foreach (var c in name.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_') sb.Append(c);
            else foreach (var b in Encoding.UTF8.GetBytes(c.ToString())) sb.Append('%').Append(b.ToString("x2"));
        }
        return sb + ".json";
    }

    static Subject Read(string file)
    {
        Subject? subject;
        try
        {
            subject = Json.Read<Subject>(file);
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new MediaTaggerException(ErrorIds.SubjectUnreadable, $"The subject file '{file}' cannot be read ({ex.Message}).", ErrorKind.ReadError, file, ex);
        }
        if (subject is null || string.IsNullOrWhiteSpace(subject.Name) || subject.Version < 1)
            throw new MediaTaggerException(ErrorIds.SubjectUnreadable, $"The subject file '{file}' is not a subject (no name).", ErrorKind.InvalidData, file);
        if (subject.Version > Subject.CurrentVersion)
            throw new MediaTaggerException(ErrorIds.SubjectUnreadable, $"The subject file '{file}' was written by a newer MediaTagger (version {subject.Version}); update the module.", ErrorKind.InvalidData, file);
        subject.Anchors ??= [];
        subject.NegativeAnchors ??= [];
        return subject;
    }
}
