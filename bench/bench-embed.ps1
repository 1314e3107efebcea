#requires -Version 7.4
<#
.SYNOPSIS
    Embedding throughput: Add-MediaEmbedding end to end (rep JPEGs on disk -> vectors committed to the store) beside
    the bare model on the same images already decoded into tensors, in the same run, with the built-in ResNet18.
.DESCRIPTION
    Prints: bench embed: ours <images/s> images/s | bare-model <images/s> images/s | ratio <ours/bare>
    The reps are rendered first (not timed). Target: ratio >= 0.9 (decoding and store writes overlap inference).
#>
param([string] $ModulePath = (Join-Path $PSScriptRoot '../output/MediaTagger'), [int] $Images = 128)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force

$work = Join-Path ([IO.Path]::GetTempPath()) "mt-bench-embed-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
$lib = New-Item -ItemType Directory -Force (Join-Path $work 'lib')
$savedHome = $env:MEDIATAGGER_HOME
$env:MEDIATAGGER_HOME = Join-Path $work 'home'   # no CLIP model installed: the built-in ResNet18
try {
    $photos = @(Get-ChildItem /usr/share/wallpapers/*/contents/images/* -File -ErrorAction Ignore | Where-Object Extension -In .jpg, .png |
            Group-Object { $_.Directory.Parent.Parent.Name } | ForEach-Object { $_.Group | Sort-Object Length | Select-Object -First 1 })
    if (-not $photos) { throw 'No photos in /usr/share/wallpapers: install plasma-workspace-wallpapers.' }
    for ($i = 0; $i -lt $Images; $i++) {
        $p = $photos[$i % $photos.Count]
        Copy-Item $p.FullName (Join-Path $lib ('img{0:D4}{1}' -f $i, $p.Extension))
    }
    $assets = @(Get-MediaAsset -Path $lib | New-MediaRep)
    $reps = [string[]]@($assets.RepPath)
    Write-Host "    $($reps.Count) reps of $($photos.Count) distinct photos; $([Environment]::ProcessorCount) cores"

    $model = [MediaTagger.PowerShell.State.ModelSessions]::Get('resnet18', $null)
    $none = [Threading.CancellationToken]::None
    # Warm-up (JIT, ONNX Runtime arenas) for both paths.
    $null = $model.EmbedPrepared($model.PrepareImages([string[]]$reps[0..7], $none), $none)

    # Two rounds, alternating, best of each: the machine is shared, so a single pass measures its neighbours as much as us.
    $prepared = $model.PrepareImages($reps, $none)
    $bare = 0; $ours = 0
    foreach ($round in 1..2) {
        # Bare model: the same images, decoded beforehand; only inference is timed.
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $null = $model.EmbedPrepared($prepared, $none)
        $bare = [math]::Max($bare, $reps.Count / $sw.Elapsed.TotalSeconds)

        # Ours: the cmdlet from rep files to a committed store (-Force: every vector computed again).
        $sw.Restart()
        $out = @($assets | Add-MediaEmbedding -Model resnet18 -Force)
        $ours = [math]::Max($ours, $out.Count / $sw.Elapsed.TotalSeconds)
        if ($out.Count -ne $reps.Count) { throw "Add-MediaEmbedding returned $($out.Count) of $($reps.Count) assets" }
    }

    Write-Host ('bench embed: ours {0:N1} images/s | bare-model {1:N1} images/s | ratio {2:N2}' -f $ours, $bare, ($ours / $bare))
}
finally {
    $env:MEDIATAGGER_HOME = $savedHome
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}
