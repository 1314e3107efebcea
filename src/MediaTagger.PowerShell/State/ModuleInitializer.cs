using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace MediaTagger.PowerShell.State;

/// <summary>
/// Runs on Import-Module / Remove-Module. PowerShell has no deps.json for a module, so the native libraries
/// (ONNX Runtime, ImageMagick) are resolved here from the module's runtimes/&lt;rid&gt;/native folder.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    static readonly string ModuleDirectory = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;

    public void OnImport()
    {
        AssemblyLoadContext.Default.ResolvingUnmanagedDll += ResolveNative;
    }

    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        AssemblyLoadContext.Default.ResolvingUnmanagedDll -= ResolveNative;
        ModuleState.Reset();
    }

    static IntPtr ResolveNative(Assembly assembly, string name)
    {
        var folder = Path.Combine(ModuleDirectory, "runtimes", RuntimeId, "native");
        if (!Directory.Exists(folder)) return IntPtr.Zero;
        var file = Path.GetFileName(name);
        foreach (var candidate in new[] { file, $"lib{file}.so", $"{file}.so", $"lib{file}.dylib", $"{file}.dylib", $"{file}.dll" })
        {
            var path = Path.Combine(folder, candidate);
            if (File.Exists(path) && NativeLibrary.TryLoad(path, out var handle)) return handle;
        }
        return IntPtr.Zero;
    }

    static string RuntimeId
    {
        get
        {
            var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
            var arch = RuntimeInformation.ProcessArchitecture switch
            {
                Architecture.Arm64 => "arm64",
                Architecture.X86 => "x86",
                _ => "x64",
            };
            return $"{os}-{arch}";
        }
    }
}
