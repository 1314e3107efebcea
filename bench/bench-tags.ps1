#requires -Version 7.4
<#
.SYNOPSIS
    Tags 10,000 small photos with Set-MediaXmpTag (profile tag + year and camera read from EXIF), next to exiftool
    writing the same tags into sidecars (one exiftool process for a subset, extrapolated per file), in the same run.
#>
param([string] $ModulePath)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force

$count = 10000
$peerCount = 500
$root = Join-Path ([IO.Path]::GetTempPath()) "mt-bench-tags-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
$savedHome = $env:MEDIATAGGER_HOME
$env:MEDIATAGGER_HOME = Join-Path $root 'home'
try {
    # One tiny real JPEG with known EXIF, copied 10,000 times into 100 folders.
    $lib = Join-Path $root 'lib'
    $peer = Join-Path $root 'peer'
    New-Item -ItemType Directory -Force $lib, $peer | Out-Null
    $seed = Join-Path $root 'seed.jpg'
    & ffmpeg -v error -f lavfi -i 'color=c=green:s=64x48' -frames:v 1 -y $seed
    & exiftool -q -overwrite_original '-DateTimeOriginal=2019:07:04 10:00:00' '-Make=NIKON CORPORATION' '-Model=NIKON D750' $seed
    $bytes = [IO.File]::ReadAllBytes($seed)
    for ($i = 0; $i -lt $count; $i++) {
        $folder = Join-Path $lib ('{0:D3}' -f ($i % 100))
        if ($i -lt 100) { [IO.Directory]::CreateDirectory($folder) | Out-Null }
        [IO.File]::WriteAllBytes((Join-Path $folder ('IMG_{0:D5}.JPG' -f $i)), $bytes)
    }
    for ($i = 0; $i -lt $peerCount; $i++) { [IO.File]::WriteAllBytes((Join-Path $peer ('IMG_{0:D5}.JPG' -f $i)), $bytes) }
    $assets = Get-MediaAsset -Path $lib
    if ($assets.Count -ne $count) { throw "expected $count assets, got $($assets.Count)" }

    # Ours: every sidecar is new; tags Pets|Teddy + Year|2019 + Camera|NIKON D750, journaled.
    $ours = Measure-Command { $assets | Set-MediaXmpTag -Profile pets -Label Teddy }
    $written = @(Get-ChildItem $lib -Recurse -Filter '*.xmp').Count
    if ($written -ne $count) { throw "expected $count sidecars, found $written" }
    $check = & exiftool -s3 -XMP-lr:HierarchicalSubject (Join-Path $lib '000/IMG_00000.xmp')
    if ("$check" -ne 'Pets|Teddy, Year|2019, Camera|NIKON D750') { throw "unexpected tags: $check" }

    # Merge into the existing sidecars (a second tag), for the record.
    $merge = Measure-Command { $assets | Set-MediaXmpTag -Tag 'Events|Bench' }

    # Peer: one exiftool process writes the same three tags (all levels into dc:subject too) into new sidecars.
    $argFile = Join-Path $root 'exiftool.args'
    $tagArgs = @(
        '-XMP-lr:HierarchicalSubject+=Pets|Teddy', '-XMP-lr:HierarchicalSubject+=Year|2019', '-XMP-lr:HierarchicalSubject+=Camera|NIKON D750',
        '-XMP-digiKam:TagsList+=Pets/Teddy', '-XMP-digiKam:TagsList+=Year/2019', '-XMP-digiKam:TagsList+=Camera/NIKON D750',
        '-XMP-dc:Subject+=Pets', '-XMP-dc:Subject+=Teddy', '-XMP-dc:Subject+=Year', '-XMP-dc:Subject+=2019', '-XMP-dc:Subject+=Camera', '-XMP-dc:Subject+=NIKON D750')
    $lines = foreach ($f in Get-ChildItem $peer -Filter '*.JPG') { $tagArgs; '-o'; [IO.Path]::ChangeExtension($f.FullName, '.xmp'); '-execute' }
    Set-Content -LiteralPath $argFile -Value $lines
    $peerTime = Measure-Command { & exiftool -q -@ $argFile | Out-Null }
    $peerWritten = @(Get-ChildItem $peer -Filter '*.xmp').Count
    if ($peerWritten -ne $peerCount) { throw "exiftool wrote $peerWritten of $peerCount sidecars" }

    # Peer merge: one exiftool process adds the same second tag to the sidecars it wrote.
    $peerSidecars = @(Get-ChildItem $peer -Filter '*.xmp').FullName
    $peerMerge = Measure-Command {
        & exiftool -q -overwrite_original '-XMP-lr:HierarchicalSubject+=Events|Bench' '-XMP-digiKam:TagsList+=Events/Bench' '-XMP-dc:Subject+=Events' '-XMP-dc:Subject+=Bench' @peerSidecars | Out-Null
    }

    Write-Host ("  ours: {0:N0} new sidecars in {1:N1} s ({2:N0} files/s), a tag merged into all of them in {3:N1} s; exiftool: {4} sidecars in {5:N1} s, merge {6:N1} s (one process each), extrapolated to {0:N0}" -f `
            $count, $ours.TotalSeconds, ($count / $ours.TotalSeconds), $merge.TotalSeconds, $peerCount, $peerTime.TotalSeconds, $peerMerge.TotalSeconds)
    # Same line format as the other benchmarks: ratio = ours / peer (below 1: we are faster).
    $inv = [Globalization.CultureInfo]::InvariantCulture
    foreach ($row in @(
            @{ Stage = 'tags'; Ours = $ours.TotalSeconds; Peer = $peerTime.TotalSeconds / $peerCount * $count }
            @{ Stage = 'tags-merge'; Ours = $merge.TotalSeconds; Peer = $peerMerge.TotalSeconds / $peerCount * $count })) {
        Write-Output ([string]::Format($inv, 'bench {0}: ours {1:0.0} s/10k files | exiftool {2:0.0} s/10k files | ratio {3:0.00}', $row.Stage, $row.Ours, $row.Peer, $row.Ours / $row.Peer))
    }
}
finally {
    $env:MEDIATAGGER_HOME = $savedHome
    Remove-Item -LiteralPath $root -Recurse -Force -ErrorAction SilentlyContinue
}
