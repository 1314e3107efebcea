namespace MediaTagger.Core.Reps;

/// <summary>Pixel size of a rendered rep.</summary>
public readonly record struct RepImageSize(int Width, int Height);
