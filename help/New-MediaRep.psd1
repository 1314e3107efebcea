@{
    Synopsis    = 'Renders a small representative JPEG ("rep") of every image and video, the picture later stages look at.'
    Description = @'
New-MediaRep turns each asset, whatever its format, into one consistent JPEG in <store>/derivatives/reps/<id>.jpg: upright (EXIF orientation applied), sRGB, at most -Size pixels on the long edge (never enlarged), without metadata. Models and the review page read these reps instead of RAW, HEIC, PSD or video files.

Images are decoded with ImageMagick (Magick.NET). JPEGs are decoded at reduced size directly (shrink-on-load), which makes large photos several times cheaper. Animated GIFs and multi-page TIFFs use their first frame, PSD files their merged image, RAW files their embedded preview when it is large enough. A file is recognised by its content, not its extension: a PNG named .jpg renders fine.

Videos are rendered with the system ffmpeg: one frame at 10% of the duration (past black lead-ins), upright according to the rotation the phone recorded. -FramesPerVideo N takes N evenly spaced frames (<id>.jpg, <id>_f2.jpg, ...). If ffmpeg is not installed, the first video met stops the command with one error (MediaRepFfmpegNotFound) that says how to install it; images need no ffmpeg.

The work is incremental: an asset whose file has the same size and modification time as when its rep was made (and the same -Size and -FramesPerVideo) is emitted again without decoding anything. -Force renders everything again. Files are rendered in parallel (-ThrottleLimit), so the output order is not the input order, but every asset is emitted once. Progress shows counts and the rate; the summary goes to the information stream (-InformationAction Continue).

A file that cannot be rendered (empty, truncated, damaged, not an image, unreadable, too large to decode safely) becomes one error record with a stable id (MediaRepDecodeFailed, MediaRepFormatNotSupported, MediaRepTooLarge, MediaRepSourceUnreadable, MediaRepSourceNotFound, MediaRepWriteFailed) and the file path as target object; the batch goes on. The failure is recorded in the catalog so later stages skip the asset, and the next run of New-MediaRep tries it again. Failed assets are not emitted.

Ctrl+C stops within about a second. Reps are written under a temporary name and renamed when complete, and finished work is saved in the catalog every few seconds and when the command ends, so a stopped run loses nothing and the next run continues where it stopped.
'@
    Parameters  = @{
        InputObject    = 'The assets to render, usually piped from Get-MediaAsset. Without input (and not in a pipeline), every asset in the catalog of the library.'
        Library        = 'The library (the folder you scanned with Get-MediaAsset) whose catalog to render when no assets are given. Without it, the library holding the current folder, else the one used last in this session.'
        StorePath      = 'The store folder, when the library keeps its store outside its root (see Get-MediaAsset -StorePath).'
        Size           = 'Long-edge size of the reps in pixels (default 512). Smaller pictures are not enlarged. Changing it re-renders the reps.'
        FramesPerVideo = 'How many evenly spaced frames to take from each video (default 1). Later stages can score a video by its best frame.'
        ThrottleLimit  = 'How many files are rendered at the same time (default: two per processor core, so reading one file overlaps decoding another).'
        Force          = 'Render again even when the existing rep is current.'
    }
    Examples    = @(
        @{
            Title   = 'Render reps for a whole library'
            Code    = 'Get-MediaAsset -Path ~/Pictures | New-MediaRep'
            Remarks = 'Scans ~/Pictures and renders a rep for every new or changed image and video. A second run renders nothing.'
        }
        @{
            Title   = 'The indexing pipeline'
            Code    = 'Get-MediaAsset -Path ~/Pictures | New-MediaRep | Add-MediaEmbedding'
            Remarks = 'Each stage passes the assets on; each skips work that is already done.'
        }
        @{
            Title   = 'Four frames per video, larger reps, see the summary'
            Code    = 'New-MediaRep -Library ~/Pictures -FramesPerVideo 4 -Size 768 -InformationAction Continue'
            Remarks = 'Renders from the catalog of an already scanned library and prints how many reps were rendered, reused or failed.'
        }
        @{
            Title   = 'List the files that could not be rendered'
            Code    = 'Get-MediaAsset -Library ~/Pictures | New-MediaRep -ErrorVariable bad -ErrorAction SilentlyContinue | Out-Null; $bad | Select-Object TargetObject, FullyQualifiedErrorId'
            Remarks = 'Each failed file is one error record whose target object is the file path.'
        }
    )
    Links       = @('Get-MediaAsset', 'Add-MediaEmbedding')
}
