@{
    Synopsis    = 'Computes an embedding (a list of numbers describing the picture) for each asset, so libraries can be searched by example photo or by text.'
    Description = @'
Add-MediaEmbedding runs an image model over the representative JPEG of each asset (made by New-MediaRep) and stores one vector per picture, per video frame, in <store>/data/embeddings/<model>/ (embeddings.f32, embeddings.index.json, embeddings.meta.json). Similar pictures get similar vectors; Find-SimilarMedia and Find-MediaByText compare them.

Pipe assets in (from Get-MediaAsset or New-MediaRep), pipe file paths in, or give just -Library to embed every catalogued asset. Assets stream back out as their batch is stored, so the command sits in the middle of a pipeline.

It is incremental: an asset whose vector was made from the same rep file with the same model is skipped (and still passed on); -Force computes it again. Work is committed batch by batch: Ctrl+C or a crash loses at most the batches in flight, and the next run carries on where it stopped.

The model: -Model names an installed model (Get-MediaTaggerModel lists them). Without it: the model of -Profile, else a CLIP model when one is installed (Install-MediaTaggerModel), else the built-in ResNet18, which needs no download but finds similar pictures only (no text search). Vectors of different models are kept in separate stores and never mixed.

An asset that has no representative image yet gets one rendered on the way (as New-MediaRep would, at its default size, and recorded in the catalog); a file that cannot be rendered is one error from the rep stage (for example MediaRepDecodeFailed). An asset whose rep failed before, or whose rep file is missing, is one MediaEmbeddingNoRep error telling you to run New-MediaRep, and a rep that cannot be decoded is MediaEmbeddingRepUnreadable; the batch goes on in every case. A store that is damaged (MediaEmbeddingStoreTruncated), was written by another model (MediaEmbeddingStoreModelMismatch) or is not ours (MediaEmbeddingStoreForeign) stops the command: -Force rebuilds a damaged or mismatched store; a foreign file is never touched.
'@
    Parameters  = @{
        InputObject = 'Assets to embed, usually piped from Get-MediaAsset or New-MediaRep. An asset without a representative image gets one rendered first.'
        Path        = 'Files of a scanned library to embed, as paths or piped Get-ChildItem items; each is looked up in the catalog of its library (the nearest folder holding a .mediatagger store, or -Library).'
        Library     = 'The library root. Without pipeline input, every asset in its catalog is embedded. With -Path, the library the files belong to.'
        StorePath   = 'The store folder of the library when it is not <library>/.mediatagger (see Get-MediaAsset -StorePath).'
        Model       = 'The installed model to use (tab completes; Get-MediaTaggerModel lists them): a CLIP model such as clip-vit-base-patch32, or resnet18 (built in, image search only).'
        Profile     = 'A profile (pets, people, places, ...) whose preferred model to use when -Model is not given.'
        BatchSize   = 'How many images go through the model at once (default 32). Larger batches are slightly faster for CLIP models and use more memory; a batch is also the most an interruption can lose.'
        Force       = 'Compute vectors again even when they are current, and rebuild a store that is damaged or was made with another model.'
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
    Links       = @('Get-MediaAsset', 'New-MediaRep', 'Install-MediaTaggerModel', 'Get-MediaTaggerModel', 'Find-SimilarMedia', 'Find-MediaByText')
}
