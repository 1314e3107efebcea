using System.Text.Json;
using System.Text.Json.Serialization;

namespace MediaTagger.Core.Common;

/// <summary>One set of JSON conventions for every file in the store (camelCase, enums as strings).</summary>
public static class Json
{
    public static readonly JsonSerializerOptions Options = Create(indented: true);
    public static readonly JsonSerializerOptions Compact = Create(indented: false);

    static JsonSerializerOptions Create(bool indented) => new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = indented,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        PropertyNameCaseInsensitive = true,
    };

    public static T? Read<T>(string path, JsonSerializerOptions? options = null)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        return JsonSerializer.Deserialize<T>(fs, options ?? Options);
    }

    /// <summary>Serialises <paramref name="value"/> to <paramref name="path"/> atomically.</summary>
    public static void Write<T>(string path, T value, JsonSerializerOptions? options = null, bool flushToDisk = true) =>
        AtomicFile.Write(path, s => JsonSerializer.Serialize(s, value, options ?? Options), flushToDisk);
}
