namespace MediaTagger.Core.Reps;

/// <summary>An upright 8-bit sRGB picture, pixels interleaved R, G, B row after row (for the models that need more than a rep).</summary>
public sealed record RgbPixels(int Width, int Height, byte[] Data);
