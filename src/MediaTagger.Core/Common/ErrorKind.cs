namespace MediaTagger.Core.Common;

/// <summary>What went wrong, in the terms PowerShell's ErrorCategory uses (the cmdlet layer maps one to the other by name).</summary>
public enum ErrorKind
{
    NotSpecified,
    ReadError,
    WriteError,
    InvalidData,
    InvalidArgument,
    InvalidOperation,
    ObjectNotFound,
    PermissionDenied,
    ResourceUnavailable,
    NotInstalled,
    OperationStopped,
    SecurityError,
    LimitsExceeded,
}
