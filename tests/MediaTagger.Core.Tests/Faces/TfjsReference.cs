using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace MediaTagger.Core.Tests.Faces;

/// <summary>Runs a TensorFlow.js graph model under node (pure-JavaScript CPU backend) on the given inputs.</summary>
static class TfjsReference
{
    /// <summary>One output array per input tensor, for each output name.</summary>
    public static Dictionary<string, List<float[]>> Run(string modelJson, IReadOnlyList<float[]> inputs, int[] shape, params string[] outputs)
    {
        var work = Path.Combine(Path.GetTempPath(), $"mtx-tfjs-{Guid.NewGuid():N}"[..24]);
        Directory.CreateDirectory(work);
        try
        {
            var inputFile = Path.Combine(work, "in.f32");
            using (var fs = File.Create(inputFile))
                foreach (var input in inputs) fs.Write(MemoryMarshal.AsBytes(input.AsSpan()));
            var outFile = Path.Combine(work, "out.json");
            var psi = new ProcessStartInfo("node") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "tfjs-run.mjs"), NpmFixtures.TensorFlowJs(), modelJson, inputFile, string.Join(',', shape), outFile, string.Join(',', outputs) })
                psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, $"node tfjs-run.mjs failed ({p.ExitCode}): {stderr}");
            using var doc = JsonDocument.Parse(File.ReadAllBytes(outFile));
            return outputs.ToDictionary(o => o, o => doc.RootElement.GetProperty(o).EnumerateArray()
                .Select(r => r.GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToList());
        }
        finally
        {
            try { Directory.Delete(work, true); } catch (IOException) { }
        }
    }
}
