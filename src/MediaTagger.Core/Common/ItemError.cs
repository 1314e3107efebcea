namespace MediaTagger.Core.Common;

/// <summary>A failure that concerns one item (a file, an asset) and must not stop the batch.</summary>
/// <param name="ErrorId">Stable identifier (see <see cref="ErrorIds"/>); scripts match on it.</param>
/// <param name="Message">What happened and, where it helps, what to do about it.</param>
/// <param name="Target">The file path or object the error is about.</param>
public sealed record ItemError(string ErrorId, string Message, object? Target, ErrorKind Kind = ErrorKind.NotSpecified, Exception? Exception = null);
