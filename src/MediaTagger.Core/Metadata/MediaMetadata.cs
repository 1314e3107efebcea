namespace MediaTagger.Core.Metadata;

/// <summary>Where the capture date of a file came from, best first.</summary>
public enum DateSource
{
    DateTimeOriginal,
    CreateDate,
    QuickTimeCreationTime,
    FileModified,
}

/// <summary>The few facts automatic tags are made from.</summary>
public sealed record MediaMetadata
{
    /// <summary>Capture time in the photographer's local time (QuickTime's UTC converted to this machine's zone).</summary>
    public DateTime Taken { get; init; }

    public DateSource DateSource { get; init; }

    public string? Make { get; init; }
    public string? Model { get; init; }

    public double? Latitude { get; init; }
    public double? Longitude { get; init; }

    /// <summary>Location names written by a cataloguing tool (IPTC or XMP photoshop:City/State/Country).</summary>
    public string? Country { get; init; }
    public string? State { get; init; }
    public string? City { get; init; }
}
