namespace MediaTagger.Core.Models;

/// <summary>Shared implementation of <see cref="IEmbeddingModel.EmbedImages"/> on top of prepare + run.</summary>
static class ModelDefaults
{
    public static float[][] EmbedImages(IEmbeddingModel model, IReadOnlyList<string> paths, CancellationToken ct)
    {
        var batch = model.PrepareImages(paths, ct);
        if (batch.Errors.FirstOrDefault(e => e is not null) is { } error)
            throw new Common.MediaTaggerException(error.ErrorId, error.Message, error.Kind, error.Target, error.Exception);
        return model.EmbedPrepared(batch, ct).Select(v => v!).ToArray();
    }
}
