@{
    Synopsis    = 'Compacts the vector stores of a library: drops superseded rows, rows of assets no longer catalogued, and damaged rows; repairs a damaged store and upgrades a 0.1 store.'
    Description = @'
Add-MediaEmbedding only ever appends: a vector computed again (-Force, a re-rendered rep, a video re-rendered with other frames) supersedes the old row without rewriting the store. Optimize-MediaStore rewrites a store with only its live rows, dropping:

- superseded rows (a later row of the same key, or frames a video no longer has);
- rows of assets that are no longer in the library's catalog (Get-MediaAsset removed them);
- rows that fail the per-row check: not finite, not unit length, or not matching the sum recorded when they were written.

Add-MediaEmbedding also compacts on its own once superseded rows pass a quarter of a store, so running this is only needed to reclaim space right away, to drop uncatalogued rows, or to repair.

Repair: when a search or Add-MediaEmbedding stops with MediaEmbeddingStoreDamaged, this command keeps every row that still proves itself (a readable index line, inside the data file, finite, unit length, matching its sum) and drops the rest; the next Add-MediaEmbedding embeds the dropped assets again. A store whose meta file is lost, or that holds another model's vectors (MediaEmbeddingStoreModelMismatch), cannot be trusted at all: rebuild it with Add-MediaEmbedding -Force.

Compaction is crash-safe: the new data and index are written beside the old ones, and the store switches to them only when its meta file is replaced. A crash or Ctrl+C leaves the old store as it was; the next writing command removes the unfinished files. Other Add-MediaEmbedding runs on the same store wait while it works, and searches keep using the rows they loaded.

A store written by MediaTagger 0.1 is upgraded to the current format on the way (Add-MediaEmbedding does the same on its first write).

Face data (-Model faces) is one more store: the face vectors and the face log (boxes, landmarks, names) are compacted together, and a damaged face store (MediaFaceStoreDamaged, or MediaEmbeddingStoreDamaged naming -Model faces) is repaired keeping every record, name and vector that proves itself; the next Add-MediaFace analyses the files whose faces were dropped. Face data of an earlier MediaTagger is moved into the current layout on the way.

Without -Model, every store of the library is compacted, the face data included. Nothing is written to the pipeline unless -PassThru is given; a summary line goes to the information stream.
'@
    Parameters  = @{
        Library   = 'The library root. Without it, the library holding the current folder, else the library used last in this session.'
        StorePath = 'The store folder of the library when it is not <library>/.mediatagger (see Get-MediaAsset -StorePath).'
        Model     = 'The model(s) whose store to compact (tab completes). Without it, every store of the library.'
        PassThru  = 'Write one object per compacted store: rows before and after, what was dropped and why, bytes before and after, duration.'
    }
    Examples    = @(
        @{
            Title   = 'Reclaim the space of superseded rows'
            Code    = 'Optimize-MediaStore -Library ~/Pictures -PassThru'
            Remarks = 'Compacts every vector store of the library and shows what each lost.'
        }
        @{
            Title   = 'Repair a damaged store, then embed what was dropped'
            Code    = "Optimize-MediaStore -Library ~/Pictures -Model clip-vit-base-patch32`nAdd-MediaEmbedding -Library ~/Pictures -Model clip-vit-base-patch32"
            Remarks = 'What the MediaEmbeddingStoreDamaged error tells you to run: intact rows are kept, damaged ones dropped and embedded again.'
        }
        @{
            Title   = 'Repair damaged face data, then analyse what was dropped'
            Code    = "Optimize-MediaStore -Library ~/Pictures -Model faces`nAdd-MediaFace -Library ~/Pictures"
            Remarks = 'What MediaFaceStoreDamaged (or a damaged faces vector store) tells you to run: names and intact faces stay; files that lost a face are analysed again.'
        }
        @{
            Title   = 'See what would be compacted'
            Code    = 'Optimize-MediaStore -Library ~/Pictures -WhatIf'
            Remarks = 'Names each store that would be rewritten, and writes nothing.'
        }
    )
    Links       = @('Add-MediaEmbedding', 'Add-MediaFace', 'Find-SimilarMedia', 'Get-MediaAsset')
}
