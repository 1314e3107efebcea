#requires -Version 7.4
<#
.SYNOPSIS
    The whole MediaTagger job on a demo library made from photographs on this machine:
    scan → reps → embeddings (embedded default model) → Find-SimilarMedia with two anchors → review → Set-MediaXmpTag.
.DESCRIPTION
    The demo library is built in a temporary folder from the Debian wallpaper and scikit-image photographs, plus
    generated variants of one photograph (the cat "Teddy": resized, cropped, mirrored, recompressed, darker) and two
    short videos. Two other pictures of Teddy, kept outside the library, are the anchors. The review is not interactive
    here: everything scoring at least the pets profile's threshold is approved, and the command for the interactive
    page is printed.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    # Where to build the demo library (default: a new temporary folder).
    [string] $Folder
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
# Variants are made with Magick.NET, which the module ships: the demo needs no image tool of its own.
foreach ($dll in 'Magick.NET.Core.dll', 'Magick.NET-Q8-AnyCPU.dll') { Add-Type -Path (Join-Path $ModulePath $dll) }

# Writes an edited copy of $Source to $Destination; $Edit gets the MagickImage.
function New-Variant([string] $Source, [string] $Destination, [scriptblock] $Edit) {
    $image = [ImageMagick.MagickImage]::new($Source)
    try {
        & $Edit $image
        $image.Write($Destination)
    }
    finally { $image.Dispose() }
}

function Step([string] $Title, [scriptblock] $Script) {
    Write-Host ""
    Write-Host "── $Title" -ForegroundColor Cyan
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $result = & $Script
    $sw.Stop()
    Write-Host ("   ({0:N2} s)" -f $sw.Elapsed.TotalSeconds) -ForegroundColor DarkGray
    $result
}

$wallpapers = '/usr/share/wallpapers'
$skimage = '/usr/lib/python3/dist-packages/skimage/data'
$teddy = Join-Path $skimage 'chelsea.png'
if (-not (Test-Path $teddy) -or -not (Test-Path $wallpapers)) {
    throw "The demo uses photographs from Debian packages. Install them with: sudo apt-get install plasma-workspace-wallpapers python3-skimage"
}
if (-not (Get-Command ffmpeg -ErrorAction Ignore)) { throw 'The demo makes short videos with ffmpeg. Install it with: sudo apt-get install ffmpeg' }

$Folder = if ($Folder) { $Folder } else { Join-Path ([IO.Path]::GetTempPath()) "mediatagger-demo-$(Get-Date -Format yyyyMMdd-HHmmss)" }
$library = Join-Path $Folder 'Pictures'
$anchors = Join-Path $Folder 'anchors'

Step "Making a demo library in $library" {
    New-Item -ItemType Directory -Force "$library/Wallpapers", "$library/Science", "$library/Teddy", "$library/Videos", $anchors | Out-Null
    Get-ChildItem $wallpapers -Directory | ForEach-Object {
        $img = Get-ChildItem (Join-Path $_.FullName 'contents/images') -File -ErrorAction Ignore | Where-Object Extension -In '.jpg', '.png' | Sort-Object Length | Select-Object -First 1
        if ($img) { Copy-Item $img.FullName "$library/Wallpapers/$($_.Name)$($img.Extension)" }
    }
    foreach ($name in 'astronaut', 'coffee', 'rocket', 'motorcycle_left', 'hubble_deep_field', 'camera', 'coins', 'horse') {
        $p = Join-Path $skimage "$name.png"
        if (Test-Path $p) { Copy-Item $p "$library/Science/$name.png" }
    }
    # Pictures of Teddy the cat in the library: the kinds of copies a real library is full of.
    New-Variant $teddy "$library/Teddy/IMG_0101.jpg" { param($i) $i.Resize([ImageMagick.Percentage]::new(60)); $i.Quality = 90 }
    New-Variant $teddy "$library/Teddy/IMG_0102.jpg" { param($i) $i.Crop([uint]($i.Width * 3 / 4), [uint]($i.Height * 3 / 4), [ImageMagick.Gravity]::Center); $i.ResetPage() }
    New-Variant $teddy "$library/Teddy/IMG_0103.jpg" { param($i) $i.Flop(); $i.Quality = 80 }
    New-Variant $teddy "$library/Teddy/IMG_0104.jpg" { param($i) $i.Quality = 25 }
    New-Variant $teddy "$library/Teddy/IMG_0105.png" { param($i) $i.Modulate([ImageMagick.Percentage]::new(70), [ImageMagick.Percentage]::new(90)) }
    # What a camera records, so the automatic tags (year, camera) have something to read.
    & exiftool -q -overwrite_original '-DateTimeOriginal=2021:07:14 10:32:00' '-Make=NIKON CORPORATION' '-Model=NIKON D750' "$library/Teddy/IMG_0101.jpg" "$library/Teddy/IMG_0104.jpg"
    # Two anchors, kept outside the library: the photo itself and a tight crop of the face.
    Copy-Item $teddy "$anchors/teddy-1.png"
    New-Variant $teddy "$anchors/teddy-2.jpg" { param($i) $i.Crop([ImageMagick.MagickGeometry]::new(10, 0, [uint]($i.Width * 3 / 5), [uint]($i.Height * 3 / 5)), [ImageMagick.Gravity]::Center); $i.ResetPage() }
    # Videos: a slow zoom over Teddy, and one over a landscape.
    $zoom = "scale=640:-2,zoompan=z='min(zoom+0.002,1.2)':d=75:s=640x426,format=yuv420p"
    & ffmpeg -v error -y -loop 1 -i $teddy -t 3 -r 25 -vf $zoom "$library/Videos/teddy-garden.mp4"
    $landscape = Get-ChildItem "$library/Wallpapers" -File | Select-Object -First 1
    & ffmpeg -v error -y -loop 1 -i $landscape.FullName -t 3 -r 25 -vf "scale=640:-2,format=yuv420p" "$library/Videos/holiday.mp4"
    $count = (Get-ChildItem $library -Recurse -File).Count
    Write-Host "   $count files: wallpapers and science photos, 5 pictures of Teddy, 2 videos; anchors in $anchors"
}

$assets = Step 'Scan: Get-MediaAsset' {
    $a = Get-MediaAsset -Path $library
    Write-Host "   catalogued $($a.Count) assets ($(@($a | Where-Object Type -EQ Image).Count) images, $(@($a | Where-Object Type -EQ Video).Count) videos) in $library/.mediatagger/data/assets.json"
    $a
}

$assets = Step 'Reps: New-MediaRep (one small JPEG per photo, two frames per video)' {
    $r = $assets | New-MediaRep -FramesPerVideo 2
    Write-Host "   rendered $($r.Count) reps into $library/.mediatagger/derivatives/reps"
    $r
}

Step 'Embeddings: Add-MediaEmbedding (embedded ResNet18 model, no download)' {
    $e = $assets | Add-MediaEmbedding
    Write-Host "   embedded $(@($e).Count) assets into $library/.mediatagger/data/embeddings/"
} | Out-Null

$petsProfile = Get-MediaTaggerProfile -Name pets
$candidates = Step "Search: Find-SimilarMedia with two anchors, profile 'pets'" {
    $m = Find-SimilarMedia -Library $library -Anchor "$anchors/teddy-1.png", "$anchors/teddy-2.jpg" -Profile pets -MinScore -1 -K 15
    $m | Select-Object -First 12 | Format-Table Rank, @{ n = 'Score'; e = { '{0:N3}' -f $_.Score } }, Type, RelativePath, BestAnchor -AutoSize | Out-String | Write-Host
    $m
}

$threshold = Step 'Review (non-interactive in the demo)' {
    # A person would look at the page; here the profile's threshold for this model decides.
    $t = $petsProfile.QueryDefaults.ImageFor($candidates[0].Model).MinScore
    Write-Host "   approving everything scoring at least $t, the pets profile's threshold for the '$($candidates[0].Model)' model ($(@($candidates | Where-Object Score -GE $t).Count) of $($candidates.Count) candidates)."
    Write-Host "   To review by eye instead, run:"
    Write-Host "     Find-SimilarMedia -Library '$library' -Anchor '$anchors/teddy-1.png', '$anchors/teddy-2.jpg' -Profile pets | Invoke-MediaReview -Label Teddy -Preselect $t | Set-MediaXmpTag -Profile pets -Label Teddy" -ForegroundColor Yellow
    Write-Host "   (-Preselect $t ticks those items when the page opens; without an explicit preselect nothing starts ticked.)"
    $t
}

Step "Tags: Set-MediaXmpTag -Profile pets -Label Teddy" {
    $written = $candidates | Where-Object Score -GE $threshold | Set-MediaXmpTag -Profile pets -Label Teddy -PassThru
    $written | Format-Table @{ n = 'File'; e = { Split-Path $_.Path -Leaf } }, @{ n = 'Sidecar'; e = { Split-Path $_.Sidecar -Leaf } }, @{ n = 'Tags'; e = { $_.Tags -join ', ' } } -AutoSize | Out-String | Write-Host
} | Out-Null

Step 'Read back one sidecar with Get-MediaXmpTag' {
    $first = Get-ChildItem "$library/Teddy" -Filter '*.xmp' | Select-Object -First 1
    $media = Get-ChildItem "$library/Teddy" -File | Where-Object { $_.BaseName -eq $first.BaseName -and $_.Extension -ne '.xmp' } | Select-Object -First 1
    Get-MediaXmpTag -Path $media.FullName | Format-List Path, Sidecar, Tags | Out-String | Write-Host
    Write-Host "   sidecar $($first.FullName):"
    Get-Content $first.FullName | Select-Object -First 30 | ForEach-Object { Write-Host "     $_" }
} | Out-Null

Write-Host ""
Write-Host "Done. The demo library is in $library; delete the folder $Folder when you are finished with it." -ForegroundColor Green
