using System.Text.Json;
using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Search;

namespace MediaTagger.Core.Review;

/// <summary>
/// Reads and writes the decisions of past reviews (<c>data/reviews/*.json</c>). Search uses
/// <see cref="RejectedIds"/> to leave out what a person already turned down for the same label or question.
/// </summary>
public static class ReviewHistory
{
    /// <summary>Every review of the library, oldest first; an unreadable file is reported and skipped.</summary>
    public static List<ReviewRecord> Load(MediaLibrary library, Action<ItemError>? onError = null) =>
        LoadFiles(library, onError).Select(f => f.Record).ToList();

    /// <summary>As <see cref="Load"/>, with the file each review was read from.</summary>
    public static List<(string File, ReviewRecord Record)> LoadFiles(MediaLibrary library, Action<ItemError>? onError = null)
    {
        var records = new List<(string, ReviewRecord)>();
        if (!Directory.Exists(library.ReviewsPath)) return records;
        // File names are UTC timestamps, so name order is time order.
        foreach (var file in Directory.EnumerateFiles(library.ReviewsPath, "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                if (Json.Read<ReviewRecord>(file) is { } record) records.Add((file, record));
            }
            catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
            {
                onError?.Invoke(new ItemError(ErrorIds.ReviewFileUnreadable, $"The review file '{file}' cannot be read ({ex.Message}); its decisions are ignored.", file, ErrorKind.ReadError, ex));
            }
        }
        return records;
    }

    /// <summary>
    /// The latest decision per asset id among the reviews for <paramref name="label"/> (case ignored) or, without a
    /// label, for the same question as <paramref name="query"/>; with neither, among all reviews.
    /// </summary>
    public static Dictionary<string, bool> LatestDecisions(MediaLibrary library, string? label = null, QueryRecord? query = null, Action<ItemError>? onError = null)
    {
        var key = label is null && query is not null ? ReviewQueryKey.For(query) : null;
        var latest = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
        foreach (var record in Load(library, onError))
        {
            if (label is not null && !string.Equals(record.Label, label, StringComparison.OrdinalIgnoreCase)) continue;
            if (key is not null && record.QueryKey != key) continue;
            foreach (var d in record.Decisions) latest[d.Id] = d.Approved;
        }
        return latest;
    }

    /// <summary>Ids whose latest decision (see <see cref="LatestDecisions"/>) was a rejection.</summary>
    public static HashSet<string> RejectedIds(MediaLibrary library, string? label = null, QueryRecord? query = null, Action<ItemError>? onError = null) =>
        LatestDecisions(library, label, query, onError).Where(kv => !kv.Value).Select(kv => kv.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Writes <paramref name="record"/> atomically as <c>data/reviews/&lt;UTC timestamp&gt;.json</c> and returns its path.</summary>
    public static string Save(MediaLibrary library, ReviewRecord record)
    {
        Directory.CreateDirectory(library.ReviewsPath);
        var stamp = record.CreatedUtc.ToUniversalTime().ToString("yyyyMMdd'T'HHmmssfff'Z'");
        var path = Path.Combine(library.ReviewsPath, stamp + ".json");
        for (var n = 2; File.Exists(path); n++) path = Path.Combine(library.ReviewsPath, $"{stamp}-{n}.json");
        Json.Write(path, record);
        return path;
    }
}
