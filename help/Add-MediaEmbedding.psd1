@{
    Synopsis    = 'Computes an embedding (a list of numbers describing the picture) for each asset, so libraries can be searched by example photo or by text.'
    Description = @'
Add-MediaEmbedding runs an image model over the representative JPEG of each asset (made by New-MediaRep) and stores one vector per picture, per video frame, in <store>/data/embeddings/<model>/ (raw float32 rows, a key → row index log and embeddings.meta.json; see docs/store.md). Each batch is appended and committed on its own, so indexing costs the same per photo at 1,000 photos as at 1,000,000. Similar pictures get similar vectors; Find-SimilarMedia and Find-MediaByText compare them.

Pipe assets in (from Get-MediaAsset or New-MediaRep), pipe file paths in, or give just -Library to embed every catalogued asset. Assets stream back out as their batch is stored, so the command sits in the middle of a pipeline.

It is incremental: an asset whose vector was made from the same rep file with the same model is skipped (and still passed on); -Force computes it again. Work is committed batch by batch: Ctrl+C or a crash loses at most the batches in flight, and the next run carries on where it stopped.

The model: -Model names an installed model (Get-MediaTaggerModel lists them). Without it: the model of -Profile, else a CLIP model when one is installed (Install-MediaTaggerModel), else the built-in ResNet18, which needs no download but finds similar pictures only (no text search). Vectors of different models are kept in separate stores and never mixed.

An asset that has no representative image yet gets one rendered on the way (as New-MediaRep would, at its default size, and recorded in the catalog); a file that cannot be rendered is one error from the rep stage (for example MediaRepDecodeFailed). An asset whose rep failed before, or whose rep file is missing, is one MediaEmbeddingNoRep error telling you to run New-MediaRep, and a rep that cannot be decoded is MediaEmbeddingRepUnreadable; the batch goes on in every case. A store that is damaged (MediaEmbeddingStoreDamaged) or was written by another model (MediaEmbeddingStoreModelMismatch) stops the command, as it stops searches; the error names the command that repairs it. -Force always repairs: a damaged store keeps the rows that pass the per-row check (and everything is embedded again), a store of another model or with a lost meta file is started again. Only the store's own files are ever touched.

When a video is rendered again with fewer frames, its extra frame vectors are dropped. Rows replaced by newer ones are reclaimed automatically once they pass a quarter of the store (or at once with Optimize-MediaStore). Two runs on the same library (two sessions, or two machines on a network folder that honours file locks) take turns committing and skip what the other has already stored.
'@
    Parameters  = @{
        InputObject = 'Assets to embed, usually piped from Get-MediaAsset or New-MediaRep. An asset without a representative image gets one rendered first.'
        Path        = 'Files of a scanned library to embed, as paths or piped Get-ChildItem items; each is looked up in the catalog of its library (the nearest folder holding a .mediatagger store, or -Library).'
        Library     = 'The library root. Without pipeline input, every asset in its catalog is embedded. With -Path, the library the files belong to.'
        StorePath   = 'The store folder of the library when it is not <library>/.mediatagger (see Get-MediaAsset -StorePath).'
        Model       = 'The installed model to use (tab completes; Get-MediaTaggerModel lists them): a CLIP model such as clip-vit-base-patch32, or resnet18 (built in, image search only).'
        Profile     = 'A profile (pets, people, places, ...) whose preferred model to use when -Model is not given.'
        BatchSize   = 'How many images go through the model at once (default 32). Larger batches are slightly faster for CLIP models and use more memory; a batch is also the most an interruption can lose.'
        Force       = 'Compute vectors again even when they are current, and repair a store that is damaged (keeping its intact rows) or start again one that was made with another model.'
    }
    Examples    = @(
        @{
            Title   = 'Index a library'
            Code    = 'Get-MediaAsset -Path ~/Pictures | New-MediaRep | Add-MediaEmbedding'
            Remarks = 'Scans, renders representative images and embeds them with the default model. Run it again after adding photos: only new or changed pictures are processed.'
        }
        @{
            Title   = 'Embed everything already scanned, with a named model'
            Code    = 'Add-MediaEmbedding -Library ~/Pictures -Model clip-vit-base-patch32 -InformationAction Continue'
            Remarks = 'Embeds every catalogued asset that has a representative image and prints a summary line.'
        }
        @{
            Title   = 'Embed a few files'
            Code    = 'Get-ChildItem ~/Pictures/2024/Holiday -Filter *.jpg | Add-MediaEmbedding'
            Remarks = 'The files must have been scanned and given reps before.'
        }
        @{
            Title   = 'Rebuild after switching models'
            Code    = 'Add-MediaEmbedding -Library ~/Pictures -Model clip-vit-base-patch16 -Force'
            Remarks = 'Recomputes every vector with the named model.'
        }
    )
    Links       = @('Get-MediaAsset', 'New-MediaRep', 'Optimize-MediaStore', 'Install-MediaTaggerModel', 'Get-MediaTaggerModel', 'Find-SimilarMedia', 'Find-MediaByText')
}
