using System.Security.Cryptography;
using System.Text;
using MediaTagger.Core.Search;

namespace MediaTagger.Core.Review;

/// <summary>
/// Identifies a question independently of how it was tuned: the kind, the anchors and the prompts (order and case of
/// prompts ignored). Model, K, MinScore and negatives change the ranking, not what the person was looking for.
/// </summary>
public static class ReviewQueryKey
{
    public static string For(QueryRecord query)
    {
        var anchors = query.Anchors.Select(a => a.Trim()).Order(StringComparer.Ordinal);
        var text = query.Text.Select(t => t.Trim().ToLowerInvariant()).Order(StringComparer.Ordinal);
        var canonical = $"{query.Kind.ToLowerInvariant()}\n{string.Join('\u001f', anchors)}\n{string.Join('\u001f', text)}";
        return Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(canonical))).ToLowerInvariant();
    }
}
