@{
    Synopsis    = 'Scans a photo and video library and lists its images and videos, keeping the library catalog current.'
    Description = @'
Get-MediaAsset walks folders recursively and emits one MediaAsset for every image or video it recognises by extension (JPEG, PNG, TIFF, WebP, GIF, BMP, HEIC/HEIF, AVIF, PSD, camera RAW such as CR2/CR3/NEF/ARW/DNG, and MP4, MOV, M4V, AVI, MKV, MTS/M2TS, 3GP, WMV, WebM; case does not matter).

The first folder you scan becomes the library root unless you name one with -Library. MediaTagger keeps its catalog in <root>/.mediatagger/data/assets.json (or under -StorePath), written atomically so an interrupted scan never leaves a broken catalog. Every asset has a stable Id: the SHA-1 of its path relative to the root.

Scanning again is incremental: unchanged files keep their records (and everything later stages know about them), and each asset's ScanState says whether it is New, Changed (size or time) or Unchanged. Files that disappeared are dropped from the catalog; -IncludeRemoved emits them too. A summary goes to the information stream (use -InformationAction Continue to see it).

Hidden files and folders, AppleDouble "._" files, Thumbs.db and NAS folders such as @eaDir are skipped unless you add -Force. A folder that cannot be read, a broken or looping symbolic link or a file name that is not valid text becomes one error record (for example MediaAssetScanAccessDenied) and the scan goes on.
'@
    Parameters  = @{
        Path           = 'Folders to scan recursively, or individual files. Accepts pipeline input: plain path strings, files and folders from Get-ChildItem (by FullName/PSPath), or MediaAsset objects. Defaults to the library root (with -Library) or the current folder.'
        Library        = 'The root folder of the library. Without it, each path belongs to the nearest parent folder that already holds a .mediatagger store; a folder with none becomes its own library root. Commands later in the session use the last library by default.'
        StorePath      = 'Keep the MediaTagger store (catalog, reps, embeddings) in this folder instead of <root>/.mediatagger, for read-only or network libraries. The session remembers it for the library.'
        Exclude        = 'Patterns of files or folders to leave out. A pattern without "/" matches any file or folder name (*.tmp.jpg, Backup); a pattern with "/" matches the path relative to the root (2019/Exports/*, **/drafts). Case is ignored.'
        Type           = 'Only emit images (Image) or only videos (Video). The catalog still records both.'
        Cached         = 'Return the catalog as recorded by the last scan, without walking the disk. Fast for scripts that only need the list.'
        Force          = 'Also scan hidden files and folders and NAS/OS junk folders (the .mediatagger store is always skipped).'
        IncludeRemoved = 'Also emit the assets that were in the catalog but are no longer on disk, with ScanState Removed.'
    }
    Examples    = @(
        @{
            Title   = 'Catalog a library'
            Code    = 'Get-MediaAsset -Path ~/Pictures'
            Remarks = 'Scans ~/Pictures recursively, makes it a library root and lists every image and video. Run it again after copying new photos in: only the new ones are reported as New.'
        }
        @{
            Title   = 'See what changed since the last scan'
            Code    = 'Get-MediaAsset -Library ~/Pictures -IncludeRemoved | Where-Object ScanState -ne Unchanged'
            Remarks = 'Shows new, changed and removed files.'
        }
        @{
            Title   = 'Catalog only some files of a library'
            Code    = 'Get-ChildItem ~/Pictures/2021 -Recurse -Filter *.jpg | Get-MediaAsset -Library ~/Pictures'
            Remarks = 'Adds just the piped files to the library rooted at ~/Pictures.'
        }
        @{
            Title   = 'Skip exports and keep the store elsewhere'
            Code    = "Get-MediaAsset -Path /mnt/nas/photos -StorePath ~/mediatagger-nas -Exclude 'Exports', '*.tmp.jpg'"
            Remarks = 'Useful when the library is read-only or on a slow network share.'
        }
        @{
            Title   = 'The whole indexing pipeline'
            Code    = 'Get-MediaAsset -Path ~/Pictures | New-MediaRep | Add-MediaEmbedding'
            Remarks = 'Scans, renders representative images and computes embeddings; each stage skips work that is already done.'
        }
    )
    Links       = @('New-MediaRep', 'Add-MediaEmbedding', 'Find-SimilarMedia')
}
