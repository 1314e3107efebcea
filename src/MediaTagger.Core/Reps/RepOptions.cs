namespace MediaTagger.Core.Reps;

/// <summary>How reps are rendered. The defaults are what every later stage expects.</summary>
public sealed record RepOptions
{
    public const int DefaultSize = 512;
    public const int DefaultQuality = 85;

    /// <summary>Long-edge size in pixels; smaller sources are never upscaled.</summary>
    public int Size { get; init; } = DefaultSize;

    /// <summary>JPEG quality (1-100).</summary>
    public int Quality { get; init; } = DefaultQuality;

    /// <summary>Evenly spaced frames taken from each video (the first at 10% of the duration).</summary>
    public int FramesPerVideo { get; init; } = 1;

    /// <summary>Re-render even when the recorded rep is current.</summary>
    public bool Force { get; init; }

    /// <summary>Assets rendered at the same time.</summary>
    public int ThrottleLimit { get; init; } = DefaultThrottleLimit;

    /// <summary>
    /// Two files per core: while one worker waits for its file to be read (a cold disk, a network share) or for memory,
    /// the other keeps the core busy. A decode holds at most one image, so twice the workers cost little memory.
    /// </summary>
    public static int DefaultThrottleLimit => 2 * Environment.ProcessorCount;
}
