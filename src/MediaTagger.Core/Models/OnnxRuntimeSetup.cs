using System.Runtime.InteropServices;
using MediaTagger.Core.Common;
using Microsoft.ML.OnnxRuntime;

namespace MediaTagger.Core.Models;

/// <summary>
/// One place that creates ONNX Runtime sessions. ONNX Runtime 1.31 on Linux/macOS writes a device id and a telemetry
/// database under ~/.cache unless ORT_DISABLE_TELEMETRY=1 is in the native environment before its first use
/// (DisableTelemetryEvents alone comes too late); a privacy-first tool turns it off.
/// </summary>
public static class OnnxRuntimeSetup
{
    static readonly object Gate = new();
    static bool _initialized;

    /// <summary>Turns telemetry off for this process; idempotent, and must run before any session is created.</summary>
    public static void EnsureInitialized()
    {
        if (_initialized) return;
        lock (Gate)
        {
            if (_initialized) return;
            // .NET keeps its own copy of the environment on Unix: the native library only sees setenv().
            Environment.SetEnvironmentVariable("ORT_DISABLE_TELEMETRY", "1");
            if (!OperatingSystem.IsWindows()) NativeSetEnv("ORT_DISABLE_TELEMETRY", "1");
            OrtEnv.Instance().DisableTelemetryEvents();
            _initialized = true;
        }
    }

    static unsafe void NativeSetEnv(string name, string value)
    {
        foreach (var lib in new[] { "libc.so.6", "libc.so", "/usr/lib/libSystem.B.dylib", "libc" })
        {
            if (!NativeLibrary.TryLoad(lib, out var handle)) continue;
            if (!NativeLibrary.TryGetExport(handle, "setenv", out var setenv)) continue;
            var n = Marshal.StringToCoTaskMemUTF8(name);
            var v = Marshal.StringToCoTaskMemUTF8(value);
            try { ((delegate* unmanaged<IntPtr, IntPtr, int, int>)setenv)(n, v, 1); }
            finally
            {
                Marshal.FreeCoTaskMem(n);
                Marshal.FreeCoTaskMem(v);
            }
            return;
        }
    }


    /// <summary>Opens <paramref name="onnxFile"/>; a file ONNX Runtime cannot load becomes <see cref="ErrorIds.ModelLoadFailed"/>.</summary>
    /// <param name="intraOpThreads">Threads inside one call (default one); the embedding models take theirs from <see cref="InferenceSettings"/>.</param>
    /// <param name="spinning">Whether idle intra-op threads spin; off by default, so decoding beside inference gets the cores.</param>
    public static InferenceSession OpenSession(string onnxFile, int? intraOpThreads = null, bool spinning = false)
    {
        EnsureInitialized();
        if (!File.Exists(onnxFile))
            throw new MediaTaggerException(ErrorIds.ModelLoadFailed, $"The model file '{onnxFile}' is missing. Reinstall the model with Install-MediaTaggerModel -Force.", ErrorKind.ObjectNotFound, onnxFile);
        using var options = new SessionOptions
        {
            IntraOpNumThreads = intraOpThreads ?? 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", spinning ? "1" : "0");
        try
        {
            return new InferenceSession(onnxFile, options);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new MediaTaggerException(ErrorIds.ModelLoadFailed, $"ONNX Runtime cannot load '{onnxFile}': {ex.Message}", ErrorKind.InvalidData, onnxFile, ex);
        }
    }
}
