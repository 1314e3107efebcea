using MediaTagger.Core.Common;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MediaTagger.Core.Models;

/// <summary>
/// One ONNX graph that maps a batch of inputs to a batch of embeddings (a CLIP image or text tower). The input and
/// output are found by name in the model's metadata (pixel_values/image_embeds, input_ids/text_embeds, Immich's
/// image/text/embedding), the batch size and dimension from their shapes. Thread-safe like the session it wraps.
/// </summary>
public sealed class OnnxTower : IDisposable
{
    readonly InferenceSession _session;
    volatile bool _disposed;

    OnnxTower(InferenceSession session, string file, string input, string output, TensorElementType inputType, int[] inputShape, int fixedBatch, string? maskInput, InferenceSettings settings)
    {
        _session = session;
        Settings = settings;
        File = file;
        InputName = input;
        OutputName = output;
        InputType = inputType;
        InputShape = inputShape;
        FixedBatch = fixedBatch;
        MaskInputName = maskInput;
    }

    public string File { get; }
    public string InputName { get; }
    public string OutputName { get; }
    public TensorElementType InputType { get; }

    /// <summary>The input's shape as declared; -1 for symbolic dimensions.</summary>
    public int[] InputShape { get; }

    /// <summary>The batch size the graph was exported with, or 0 when the batch dimension is free.</summary>
    public int FixedBatch { get; }

    /// <summary>An attention-mask input the text graph also wants, if any.</summary>
    public string? MaskInputName { get; }

    public int Dimension { get; private set; }

    /// <summary>Images per call (when the batch is free), threads per call and calls at once.</summary>
    public InferenceSettings Settings { get; }

    /// <summary>Opens a tower, picking its input from <paramref name="inputNames"/> (else the only input) and its output from <paramref name="outputNames"/> (else the only or the first 2-d output).</summary>
    public static OnnxTower Open(string file, string[] inputNames, string[] outputNames, InferenceSettings settings)
    {
        var session = OnnxRuntimeSetup.OpenSession(file, settings.IntraOpThreads, settings.Spinning);
        try
        {
            var inputs = session.InputMetadata;
            var input = inputNames.FirstOrDefault(inputs.ContainsKey)
                ?? inputs.Keys.FirstOrDefault(k => !k.Contains("mask", StringComparison.OrdinalIgnoreCase) && inputs.Count <= 2)
                ?? throw Invalid(file, $"none of its inputs ({string.Join(", ", inputs.Keys)}) is one of {string.Join(", ", inputNames)}");
            var mask = inputs.Keys.FirstOrDefault(k => k != input && k.Contains("mask", StringComparison.OrdinalIgnoreCase));
            if (inputs.Count > (mask is null ? 1 : 2))
                throw Invalid(file, $"it wants inputs this tool does not provide ({string.Join(", ", inputs.Keys)})");
            var outputs = session.OutputMetadata;
            var output = outputNames.FirstOrDefault(outputs.ContainsKey)
                ?? (outputs.Count == 1 ? outputs.Keys.First() : outputs.FirstOrDefault(o => o.Value.Dimensions.Length == 2).Key)
                ?? throw Invalid(file, $"none of its outputs ({string.Join(", ", outputs.Keys)}) is one of {string.Join(", ", outputNames)}");
            var meta = inputs[input];
            var shape = meta.Dimensions;
            var tower = new OnnxTower(session, file, input, output, meta.ElementDataType, shape, shape.Length > 0 && shape[0] > 0 ? shape[0] : 0, mask, settings);
            var outShape = outputs[output].Dimensions;
            tower.Dimension = outShape.Length > 1 && outShape[^1] > 0 && outShape.Skip(1).All(d => d > 0) ? outShape.Skip(1).Aggregate(1, (a, b) => a * b) : 0;
            return tower;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    static MediaTaggerException Invalid(string file, string why) =>
        new(ErrorIds.ModelLoadFailed, $"'{file}' is not an embedding graph MediaTagger can drive: {why}.", ErrorKind.InvalidData, file);

    /// <summary>Learns the embedding size by running one zero input, for graphs whose output shape is symbolic.</summary>
    public void ProbeDimension(int[] sampleShape)
    {
        if (Dimension > 0) return;
        var count = sampleShape.Aggregate(1, (a, b) => a * b);
        var result = InputType switch
        {
            TensorElementType.Float => Run(new float[count], sampleShape),
            TensorElementType.Int64 => Run(new long[count], sampleShape),
            _ => Run(new int[count], sampleShape),
        };
        Dimension = result[0].Length;
    }

    /// <summary>
    /// Runs the graph on <paramref name="data"/> shaped <paramref name="shape"/> (batch first) and returns one L2-normalised
    /// vector per batch row, in chunks of the exported batch size when it is fixed, else of <see cref="InferenceSettings.Batch"/>,
    /// one chunk per lane at a time.
    /// </summary>
    public float[][] Run<T>(T[] data, int[] shape, CancellationToken cancellationToken = default) where T : unmanaged
    {
        var batch = shape[0];
        var rowSize = data.Length / Math.Max(1, batch);
        var step = FixedBatch > 0 ? FixedBatch : Settings.Batch;
        var result = new float[batch][];
        InferenceLanes.Run((batch + step - 1) / step, Settings.Lanes, cancellationToken, c =>
        {
            var start = c * step;
            var n = Math.Min(step, batch - start);
            // The input is read in place; only a short last chunk of a fixed-batch graph needs a padded copy.
            Memory<T> chunk = data.AsMemory(start * rowSize, n * rowSize);
            if (FixedBatch > 0 && n < FixedBatch)
            {
                var padded = new T[FixedBatch * rowSize];
                chunk.CopyTo(padded);
                chunk = padded;
            }
            var chunkShape = shape.Select(d => (long)d).ToArray();
            chunkShape[0] = chunk.Length / rowSize;
            var vectors = RunOnce(chunk, chunkShape);
            for (var i = 0; i < n; i++) result[start + i] = vectors[i];
        });
        return result;
    }

    float[][] RunOnce<T>(Memory<T> data, long[] shape) where T : unmanaged
    {
        // A disposed native session must never be run: ONNX Runtime would crash the whole process, not throw.
        ObjectDisposedException.ThrowIf(_disposed, this);
        var values = new List<OrtValue> { OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, data, shape) };
        var names = new List<string> { InputName };
        if (MaskInputName is not null)
        {
            values.Add(MaskFor(data.ToArray(), shape));
            names.Add(MaskInputName);
        }
        try
        {
            using var runOptions = new RunOptions();
            using var outputs = _session.Run(runOptions, names, values, [OutputName]);
            var output = outputs[0];
            var outShape = output.GetTensorTypeAndShape().Shape;
            var span = output.GetTensorDataAsSpan<float>();
            var rows = (int)outShape[0];
            var dim = span.Length / rows;
            var result = new float[rows][];
            for (var i = 0; i < rows; i++) result[i] = VectorMath.Normalize(span.Slice(i * dim, dim).ToArray());
            return result;
        }
        catch (OnnxRuntimeException ex)
        {
            throw new MediaTaggerException(ErrorIds.ModelInferenceFailed, $"Running '{File}' failed: {ex.Message}", ErrorKind.InvalidOperation, File, ex);
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    /// <summary>1 up to and including the end token (the first occurrence of the largest id), 0 for padding.</summary>
    OrtValue MaskFor<T>(T[] ids, long[] shape) where T : unmanaged
    {
        var rows = (int)shape[0];
        var len = (int)shape[1];
        var asLong = ids.Select(v => Convert.ToInt64(v)).ToArray();
        var maskType = _session.InputMetadata[MaskInputName!].ElementDataType;
        var mask = new long[asLong.Length];
        for (var r = 0; r < rows; r++)
        {
            var row = asLong.AsSpan(r * len, len);
            var end = row.IndexOf(row.ToArray().Max());
            for (var i = 0; i <= end; i++) mask[r * len + i] = 1;
        }
        return maskType == TensorElementType.Int32
            ? OrtValue.CreateTensorValueFromMemory(mask.Select(m => (int)m).ToArray(), shape)
            : OrtValue.CreateTensorValueFromMemory(mask, shape);
    }

    public void Dispose()
    {
        _disposed = true;
        _session.Dispose();
    }
}
