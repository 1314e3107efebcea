namespace MediaTagger.Core.Common;

/// <summary>Every stable error id the module reports, in one place so they never drift.</summary>
public static class ErrorIds
{
    // Library (scan, catalog)
    public const string LibraryNotFound = "MediaLibraryNotFound";
    public const string LibraryNotSpecified = "MediaLibraryNotSpecified";
    public const string LibraryNested = "MediaLibraryNested";
    /// <summary>A FIFO, socket or device where a media file or sidecar was expected: never opened (it could block forever).</summary>
    public const string NotRegularFile = "MediaNotRegularFile";
    public const string CatalogUnreadable = "MediaCatalogUnreadable";
    public const string CatalogMissing = "MediaCatalogMissing";
    public const string StoreLocked = "MediaStoreLocked";
    public const string ScanPathNotFound = "MediaAssetScanPathNotFound";
    public const string ScanOutsideLibrary = "MediaAssetScanOutsideLibrary";
    public const string ScanAccessDenied = "MediaAssetScanAccessDenied";
    public const string ScanBrokenLink = "MediaAssetScanBrokenLink";
    public const string ScanSymlinkLoop = "MediaAssetScanSymlinkLoop";
    public const string ScanInvalidName = "MediaAssetScanInvalidName";
    public const string ScanPathTooLong = "MediaAssetScanPathTooLong";
    public const string ScanIOError = "MediaAssetScanIOError";

    // Embedding store
    public const string StoreDamaged = "MediaEmbeddingStoreDamaged";
    public const string StoreMissing = "MediaEmbeddingStoreMissing";
    public const string StoreModelMismatch = "MediaEmbeddingStoreModelMismatch";
    public const string StoreUnreadable = "MediaEmbeddingStoreUnreadable";

    // Profiles
    public const string ProfileNotFound = "MediaProfileNotFound";
    public const string ProfileInvalid = "MediaProfileInvalid";

    // Tags (XMP sidecars, tag journal, automatic tags)
    public const string XmpTagInvalid = "MediaXmpTagInvalid";
    public const string XmpNoTags = "MediaXmpNoTags";
    public const string XmpFileNotFound = "MediaXmpFileNotFound";
    public const string XmpNotMediaFile = "MediaXmpNotMediaFile";
    public const string XmpSidecarUnreadable = "MediaXmpSidecarUnreadable";
    public const string XmpSidecarUnsupported = "MediaXmpSidecarUnsupported";
    public const string XmpSidecarWriteFailed = "MediaXmpSidecarWriteFailed";
    public const string XmpJournalUnreadable = "MediaXmpJournalUnreadable";
    public const string XmpJournalWriteFailed = "MediaXmpJournalWriteFailed";
    public const string XmpUndoConflict = "MediaXmpUndoConflict";
    public const string XmpTagCharacterInvalid = "MediaXmpTagCharacterInvalid";
    public const string XmpPathIsFolder = "MediaXmpPathIsFolder";
    public const string XmpSidecarSymlinkRefused = "MediaXmpSidecarSymlinkRefused";
    public const string XmpLabelRequired = "MediaXmpLabelRequired";
    public const string XmpProvenanceUnsupported = "MediaXmpProvenanceUnsupported";
    // Review
    public const string ReviewQueryMissing = "MediaReviewQueryMissing";
    public const string ReviewQueryUnreadable = "MediaReviewQueryUnreadable";
    public const string ReviewPortInUse = "MediaReviewPortInUse";
    public const string ReviewServerFailed = "MediaReviewServerFailed";
    public const string ReviewGridViewUnavailable = "MediaReviewGridViewUnavailable";
    public const string ReviewNotRecorded = "MediaReviewNotRecorded";
    public const string ReviewFileUnreadable = "MediaReviewFileUnreadable";
    // Reps
    public const string RepDecodeFailed = "MediaRepDecodeFailed";
    public const string RepIndexUnreadable = "MediaRepIndexUnreadable";
    public const string RepFormatNotSupported = "MediaRepFormatNotSupported";
    public const string RepTooLarge = "MediaRepTooLarge";
    public const string RepSourceUnreadable = "MediaRepSourceUnreadable";
    public const string RepSourceNotFound = "MediaRepSourceNotFound";
    public const string RepWriteFailed = "MediaRepWriteFailed";
    public const string RepFfmpegNotFound = "MediaRepFfmpegNotFound";

    // Embeddings (models, Add-MediaEmbedding)
    public const string ModelNotInstalled = "MediaModelNotInstalled";
    public const string ModelHasNoTextTower = "MediaModelHasNoTextTower";
    public const string ModelNotInCatalog = "MediaModelNotInCatalog";
    public const string ModelCatalogInvalid = "MediaModelCatalogInvalid";
    public const string ModelDownloadFailed = "MediaModelDownloadFailed";
    public const string ModelSizeMismatch = "MediaModelSizeMismatch";
    public const string ModelHashMismatch = "MediaModelHashMismatch";
    public const string ModelLoadFailed = "MediaModelLoadFailed";
    public const string ModelFolderInvalid = "MediaModelFolderInvalid";
    public const string ModelFolderNotFound = "MediaModelFolderNotFound";
    public const string ModelInferenceFailed = "MediaModelInferenceFailed";
    /// <summary>MEDIATAGGER_INFERENCE holds something other than batch=N, threads=N, lanes=N.</summary>
    public const string InferenceSettingsInvalid = "MediaInferenceSettingsInvalid";
    public const string EmbeddingNoRep = "MediaEmbeddingNoRep";
    public const string EmbeddingRepUnreadable = "MediaEmbeddingRepUnreadable";
    public const string EmbeddingNotCataloged = "MediaEmbeddingAssetNotCataloged";

    // Subjects
    public const string SubjectNotFound = "MediaSubjectNotFound";
    public const string SubjectExists = "MediaSubjectExists";
    public const string SubjectNameInvalid = "MediaSubjectNameInvalid";
    public const string SubjectUnreadable = "MediaSubjectUnreadable";
    public const string SubjectWriteFailed = "MediaSubjectWriteFailed";
    public const string SubjectNoExamples = "MediaSubjectNoExamples";
    public const string SubjectExampleMissing = "MediaSubjectExampleMissing";

    // Search
    public const string SearchStoreMissing = "MediaSearchStoreMissing";
    public const string SearchStoreEmpty = "MediaSearchStoreEmpty";
    public const string SearchStoreBusy = "MediaSearchStoreBusy";
    public const string SearchAnchorNotFound = "MediaSearchAnchorNotFound";
    public const string SearchAnchorUnreadable = "MediaSearchAnchorUnreadable";
    public const string SearchNoQuery = "MediaSearchNoQuery";
    public const string SearchOutFileInvalid = "MediaSearchOutFileInvalid";
    public const string SearchQueryWriteFailed = "MediaSearchQueryWriteFailed";

    // Faces (face models, detection, face store, regions)
    public const string FaceModelConversionFailed = "MediaFaceModelConversionFailed";
    public const string FacePackageIntegrity = "MediaFacePackageIntegrity";
    public const string FacePackageInvalid = "MediaFacePackageInvalid";
    public const string FaceModelsNotInstalled = "MediaFaceModelsNotInstalled";
    public const string FaceImageUnreadable = "MediaFaceImageUnreadable";
    public const string FaceStoreUnreadable = "MediaFaceStoreUnreadable";
    public const string FaceStoreDamaged = "MediaFaceStoreDamaged";
    public const string FaceAnchorNoFace = "MediaFaceAnchorNoFace";
    public const string FaceNotFound = "MediaFaceNotFound";
    public const string FaceRegionWriteFailed = "MediaFaceRegionWriteFailed";
}
