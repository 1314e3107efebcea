namespace MediaTagger.Core.Tests.Embeddings;

/// <summary>
/// A fact that needs the CLIP reference data beside the project (never copied into it). Skipped only where that folder
/// is absent; where it is present, the test runs, so unreadable or incomplete reference data fails it rather than
/// hiding behind a skip.
/// </summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute()
    {
        if (SharedData.Folder is null)
            Skip = "shared/clip-tokenizer (CLIP vocabulary with reference token ids) is not beside the project: tokenizer parity not checked.";
    }
}

static class SharedData
{
    /// <summary>The reference folder beside the repository (or beside a folder holding it, e.g. a git worktree), or null.</summary>
    public static string? Folder => RepoRoot is { } root ? FolderFrom(root) : null;

    /// <summary>
    /// The nearest <c>shared/clip-tokenizer</c> folder beside <paramref name="repoRoot"/> or one of its ancestors; present
    /// means present, whatever it holds.
    /// </summary>
    public static string? FolderFrom(string repoRoot)
    {
        for (var dir = new DirectoryInfo(repoRoot).Parent; dir is not null; dir = dir.Parent)
        {
            var folder = Path.Combine(dir.FullName, "shared", "clip-tokenizer");
            if (Directory.Exists(folder)) return folder;
        }
        return null;
    }

    /// <summary>The repository root (the folder holding MediaTagger.sln), found upwards from the test binaries.</summary>
    public static string? RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "MediaTagger.sln"))) return dir.FullName;
            return null;
        }
    }
}
