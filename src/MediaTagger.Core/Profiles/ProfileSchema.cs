using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using MediaTagger.Core.Common;

namespace MediaTagger.Core.Profiles;

/// <summary>
/// The keys a profile file may have, taken from <see cref="MediaProfile"/> itself (camelCase, as written), checked
/// before anything is read: a misspelt key would otherwise be ignored and its setting silently lost.
/// </summary>
static class ProfileSchema
{
    /// <exception cref="MediaTaggerException">ProfileInvalid naming the first unknown key (and the closest known one).</exception>
    public static void Check(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new MediaTaggerException(ErrorIds.ProfileInvalid, "a profile is a JSON object: { \"tagTemplate\": \"Pets|{label}\", ... }.");
        Check(root, typeof(MediaProfile), "");
    }

    static void Check(JsonElement element, Type type, string at)
    {
        if (element.ValueKind != JsonValueKind.Object) return;
        var known = KeysOf(type);
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name == "$schema" && at.Length == 0) continue;
            if (!known.TryGetValue(property.Name, out var propertyType))
            {
                var closest = known.Keys.MinBy(k => Distance(k.ToLowerInvariant(), property.Name.ToLowerInvariant()));
                var hint = closest is not null && Distance(closest.ToLowerInvariant(), property.Name.ToLowerInvariant()) <= 3 ? $" Did you mean '{closest}'?" : "";
                throw new MediaTaggerException(ErrorIds.ProfileInvalid,
                    $"unknown key '{at}{property.Name}'.{hint} Known keys{(at.Length > 0 ? $" of '{at.TrimEnd('.')}'" : "")}: {string.Join(", ", known.Keys)}.");
            }
            if (propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() == typeof(Dictionary<,>) && property.Value.ValueKind == JsonValueKind.Object)
            {
                // imageByModel: free keys (model names), values of a known shape.
                foreach (var entry in property.Value.EnumerateObject())
                    Check(entry.Value, propertyType.GetGenericArguments()[1], $"{at}{property.Name}.{entry.Name}.");
            }
            else if (propertyType.IsClass && propertyType != typeof(string) && !propertyType.IsGenericType)
            {
                Check(property.Value, propertyType, $"{at}{property.Name}.");
            }
        }
    }

    /// <summary>Settable, serialised properties by their JSON (camelCase) name.</summary>
    static Dictionary<string, Type> KeysOf(Type type) => type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanWrite && p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
        .ToDictionary(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name), p => p.PropertyType, StringComparer.Ordinal);

    /// <summary>Levenshtein distance, for "did you mean".</summary>
    static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }
}
