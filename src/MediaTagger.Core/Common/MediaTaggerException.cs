namespace MediaTagger.Core.Common;

/// <summary>An error that carries a stable error id and a category so the cmdlet layer can report it without guessing.</summary>
public class MediaTaggerException : Exception
{
    public MediaTaggerException(string errorId, string message, ErrorKind kind = ErrorKind.NotSpecified, object? target = null, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Kind = kind;
        Target = target;
    }

    public string ErrorId { get; }
    public ErrorKind Kind { get; }
    public object? Target { get; }

    public ItemError ToItemError() => new(ErrorId, Message, Target, Kind, this);
}
