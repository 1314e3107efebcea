using MediaTagger.Core.Common;

namespace MediaTagger.Core.Store;

/// <summary>The store's errors: one stable id per kind, each naming the command that repairs it.</summary>
static class StoreErrors
{
    /// <summary>Damage the store can repair itself, keeping its intact rows (<see cref="StoreLocation.RepairCommand"/>); -Force repairs it too.</summary>
    public static MediaTaggerException Damaged(StoreLocation at, string why) => new(ErrorIds.StoreDamaged,
        $"The '{at.Model}' store of '{at.Library.Root}' is damaged: {why}. Search and indexing refuse it until it is repaired. " +
        $"Repair it with: {at.RepairCommand} (keeps the intact rows; the next {at.IndexCommand} embeds the dropped ones again), or rebuild it with {at.RebuildCommand}.",
        ErrorKind.InvalidData, at.Folder);

    /// <summary>Damage that leaves nothing to trust (the meta is gone or unreadable): only a rebuild repairs it.</summary>
    public static MediaTaggerException Lost(StoreLocation at, string why, Exception? inner = null) => new(ErrorIds.StoreDamaged,
        $"The '{at.Model}' store of '{at.Library.Root}' is damaged: {why}. Search and indexing refuse it until it is rebuilt. Rebuild it with: {at.RebuildCommand}",
        ErrorKind.InvalidData, at.Folder, inner);

    public static MediaTaggerException ModelMismatch(StoreLocation at, string storeModelId, int storeDim, string modelId, int dim) =>
        modelId == storeModelId + Models.ClipModel.PreprocessingRevision
            ? new(ErrorIds.StoreModelMismatch,
                $"The '{at.Model}' store of '{at.Library.Root}' was made by an earlier MediaTagger, whose CLIP preprocessing differed slightly from the reference " +
                $"the model was trained with; new vectors would not compare exactly with it. Recompute it once with: {at.RebuildCommand}",
                ErrorKind.InvalidData, at.Folder)
            : new(ErrorIds.StoreModelMismatch,
                $"The '{at.Model}' store of '{at.Library.Root}' holds vectors of '{storeModelId}' ({storeDim} dimensions), but the model '{at.Model}' is now '{modelId}' ({dim}). " +
                $"Vectors of different models are never compared or mixed. Rebuild the store with: {at.RebuildCommand}, or reinstall the model it was built with.",
                ErrorKind.InvalidData, at.Folder);

    public static MediaTaggerException Unreadable(StoreLocation at, Exception ex) => new(ErrorIds.StoreUnreadable,
        $"The '{at.Model}' store of '{at.Library.Root}' cannot be read: {ex.Message}", ErrorKind.ReadError, at.Folder, ex);
}
