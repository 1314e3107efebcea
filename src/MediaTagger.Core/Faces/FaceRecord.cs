using System.Text.Json.Serialization;

namespace MediaTagger.Core.Faces;

/// <summary>
/// One face as stored: box and landmarks normalised to the picture (0–1, so they hold at any size of it), the
/// detector's score, the video frame (1-based; null for a still), and the embedding (kept in the vector file).
/// </summary>
public sealed record StoredFace(
    [property: JsonPropertyName("x")] float X,
    [property: JsonPropertyName("y")] float Y,
    [property: JsonPropertyName("w")] float Width,
    [property: JsonPropertyName("h")] float Height,
    [property: JsonPropertyName("score")] float Score,
    [property: JsonPropertyName("landmarks")] float[] Landmarks,
    [property: JsonPropertyName("frame")] int? Frame)
{
    [JsonIgnore] public float[] Vector { get; init; } = [];

    public static StoredFace From(AnalyzedFace face, int width, int height, int? frame)
    {
        var d = face.Detection;
        return new StoredFace(d.X / width, d.Y / height, d.Width / width, d.Height / height, d.Score,
            d.Landmarks.SelectMany(p => new[] { p.X / width, p.Y / height }).ToArray(), frame) { Vector = face.Vector };
    }
}

/// <summary>What the face stage found in one asset: its file stamp and model when analysed, and its faces in order.</summary>
public sealed record FaceRecord(
    [property: JsonPropertyName("id")] string AssetId,
    [property: JsonPropertyName("stamp")] string Stamp,
    [property: JsonPropertyName("model")] string ModelId,
    [property: JsonPropertyName("faces")] IReadOnlyList<StoredFace> Faces)
{
    /// <summary>A face's id: "&lt;asset id&gt;:&lt;index&gt;", stable until the file changes and is analysed anew.</summary>
    public static string FaceId(string assetId, int index) => $"{assetId}:{index}";

    public static (string AssetId, int Index)? ParseFaceId(string faceId)
    {
        var colon = faceId.LastIndexOf(':');
        return colon > 0 && int.TryParse(faceId.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i)
            ? (faceId[..colon], i) : null;
    }
}
