namespace MediaTagger.Core.Models;

/// <summary>What every model implements the same way: preparing images in parallel, and EmbedImages on top of prepare + run.</summary>
static class ModelDefaults
{
    /// <summary>Decodes and preprocesses every image on all cores; a file that fails is recorded in the batch, not thrown.</summary>
    public static PreparedImages PrepareImages(ImagePreprocessing preprocessing, IReadOnlyList<string> imagePaths, CancellationToken cancellationToken)
    {
        var batch = new PreparedImages(imagePaths, 3, preprocessing.Height, preprocessing.Width);
        Parallel.For(0, imagePaths.Count, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            try { preprocessing.Fill(imagePaths[i], batch.Slot(i)); }
            catch (Common.MediaTaggerException ex) { batch.Errors[i] = ex.ToItemError(); }
        });
        return batch;
    }

    public static float[][] EmbedImages(IEmbeddingModel model, IReadOnlyList<string> paths, CancellationToken ct)
    {
        var batch = model.PrepareImages(paths, ct);
        if (batch.Errors.FirstOrDefault(e => e is not null) is { } error)
            throw new Common.MediaTaggerException(error.ErrorId, error.Message, error.Kind, error.Target, error.Exception);
        return model.EmbedPrepared(batch, ct).Select(v => v!).ToArray();
    }
}
