using System.Text.Json;
using MediaTagger.Core.Common;

namespace MediaTagger.Core.Profiles;

/// <summary>
/// Finds profiles in the shipped folder and the user's folder; a user profile with the same name as a shipped one wins.
/// </summary>
public sealed class ProfileStore
{
    readonly string? _shippedFolder;
    readonly string _userFolder;

    public ProfileStore(string? shippedFolder, string? userFolder = null)
    {
        _shippedFolder = shippedFolder;
        _userFolder = userFolder ?? UserPaths.Profiles;
    }

    /// <summary>
    /// Every profile whose name <paramref name="include"/> accepts (all when null). A profile that does not load is one
    /// error through <paramref name="onError"/> and is left out; it never affects the others, and one that is not asked
    /// for is not even read.
    /// </summary>
    public IReadOnlyList<MediaProfile> List(Action<ItemError>? onError = null, Func<string, bool>? include = null)
    {
        var byName = new Dictionary<string, MediaProfile>(StringComparer.OrdinalIgnoreCase);
        foreach (var (folder, builtIn) in new[] { (_shippedFolder, true), (_userFolder, false) })
        {
            if (folder is null || !Directory.Exists(folder)) continue;
            foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
            {
                if (include is not null && !include(Path.GetFileNameWithoutExtension(file))) continue;
                try { byName[Path.GetFileNameWithoutExtension(file)] = Load(file, builtIn); }
                catch (MediaTaggerException ex) { onError?.Invoke(ex.ToItemError()); }
            }
        }
        return byName.Values.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>The named profile, or a path to a profile file.</summary>
    /// <exception cref="MediaTaggerException">No such profile, or it does not parse.</exception>
    public MediaProfile Get(string nameOrPath)
    {
        if (nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && File.Exists(nameOrPath)) return Load(nameOrPath, builtIn: false);
        foreach (var (folder, builtIn) in new[] { (_userFolder, false), (_shippedFolder, true) })
        {
            if (folder is null) continue;
            var file = Path.Combine(folder, nameOrPath + ".json");
            if (File.Exists(file)) return Load(file, builtIn);
        }
        var known = string.Join(", ", List().Select(p => p.Name));
        throw new MediaTaggerException(ErrorIds.ProfileNotFound, $"There is no profile named '{nameOrPath}'. Known profiles: {known}. Add your own as a .json file in '{_userFolder}'.", ErrorKind.ObjectNotFound, nameOrPath);
    }

    static MediaProfile Load(string file, bool builtIn)
    {
        try
        {
            var bytes = File.ReadAllBytes(file);
            using (var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }))
            {
                try { ProfileSchema.Check(document.RootElement); }
                catch (MediaTaggerException ex)
                {
                    throw new MediaTaggerException(ErrorIds.ProfileInvalid, $"The profile '{file}' is not valid: {ex.Message}", ErrorKind.InvalidData, file, ex);
                }
            }
            var profile = JsonSerializer.Deserialize<MediaProfile>(bytes, Json.Options) ?? throw new JsonException("empty file");
            profile.Name = Path.GetFileNameWithoutExtension(file);
            profile.Source = file;
            profile.BuiltIn = builtIn;
            profile.Validate();
            return profile;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new MediaTaggerException(ErrorIds.ProfileInvalid, $"The profile '{file}' cannot be read: {ex.Message}", ErrorKind.InvalidData, file, ex);
        }
    }
}
