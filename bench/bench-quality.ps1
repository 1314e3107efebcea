#requires -Version 7.4
<#
.SYNOPSIS
    Search quality of the built-in model (resnet18) on copies a real library holds, before and after robust anchors
    and centred scores, and what they cost per query.
.DESCRIPTION
    Builds a library at run time from the real test photos (Debian wallpapers, skimage): each photo (long edge 1280)
    plus seven variants made with Magick.NET (downscaled to 400 px, JPEG quality 15, brighter, cropped to 70%,
    mirrored, rotated 90° in the pixels, rotated by the EXIF flag). Indexes it with the module, then searches with
    each original as the only anchor and ranks every other picture.

    Methods (all through the module's own scan): "before" = plain cosine, the anchor as it is (0.1 behaviour);
    "+views" = the anchor, its mirror and its 90/180/270° rotations, score = best view; "+views, centred (shipped)" =
    that, cosine after subtracting the mean that ships with the model (the default now); "+views, centred (library)"
    = the mean of this library's own vectors instead; "centred only" = shipped mean, no views.
    Prints mAP and the median rank of each variant per method, the score of copies and of unrelated photos, the same
    figures through Find-SimilarMedia itself, and the time per query with and without views.
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../output/MediaTagger'),
    # Keep the test library here and reuse it on the next run (development); default: a temporary folder, removed.
    [string] $LibraryRoot
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
$ModulePath = (Get-Module MediaTagger).ModuleBase
Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1') -Force
Import-Module (Join-Path $PSScriptRoot '../tests/Pester/TestHelpers.psm1') -Force
$refs = 'MediaTagger.Core.dll', 'Magick.NET-Q8-AnyCPU.dll', 'Magick.NET.Core.dll', 'System.Numerics.Tensors.dll', 'Microsoft.ML.OnnxRuntime.dll' |
    ForEach-Object { Join-Path $ModulePath $_ } | Where-Object { Test-Path $_ }
$refs | ForEach-Object { Add-Type -Path $_ } # loaded now, so the bench class binds to the module's own copies
Add-Type -Path (Join-Path $PSScriptRoot 'QualityBench.cs') -ReferencedAssemblies ($refs + 'netstandard', 'System.Collections', 'System.Linq', 'System.Runtime', 'System.Memory') -IgnoreWarnings -WarningAction Ignore

$inv = [cultureinfo]::InvariantCulture
$root = $LibraryRoot ? $LibraryRoot : (Join-Path ([IO.Path]::GetTempPath()) "mediatagger-bench-quality-$PID")
try {
    $photos = @(Get-TestPhoto)
    Write-Host "Test library: $($photos.Count) photos x 8 pictures in $root"
    $groups = if ($LibraryRoot -and (Test-Path (Join-Path $root 'g00'))) { @(Get-ChildItem $root -Directory -Filter 'g*' | Sort-Object Name | ForEach-Object FullName) }
    else { [QualityBench]::MakeLibrary($root, $photos) }
    $assets = @(Get-MediaAsset -Path $root | New-MediaRep | Add-MediaEmbedding -Model resnet18)
    $byPath = @{}; foreach ($a in $assets) { $byPath[$a.Path] = $a }
    $store = [MediaTagger.Core.Search.ResidentStore]::Load([MediaTagger.Core.Store.StoreLocation]::new([MediaTagger.Core.Library.MediaLibrary]::Open($root), 'resnet18'), $null, 0, [Threading.CancellationToken]::None)
    $groupOf = @{}; $variantOf = @{}
    for ($g = 0; $g -lt $store.GroupCount; $g++) {
        $asset = $assets | Where-Object Id -EQ $store.AssetIdOf($g)
        $groupOf[$g] = Split-Path (Split-Path $asset.Path) -Leaf
        $variantOf[$g] = [IO.Path]::GetFileNameWithoutExtension($asset.Path)
    }
    $model = [MediaTagger.Core.Models.ResNet18Model]::Load()
    $shipped = [MediaTagger.Core.Models.FeatureStatistics]::For($store.Meta.ModelId)
    if (-not $shipped) { Write-Warning "No shipped feature mean for '$($store.Meta.ModelId)': centred (shipped) falls back to plain cosine." }
    $libraryMean = [QualityBench]::Mean($store)

    # Each group's anchor: the original's stored vector, and its views made from its rep.
    $queries = foreach ($dir in $groups) {
        $original = $byPath[(Join-Path $dir 'original.jpg')]
        $g = (0..($store.GroupCount - 1)) | Where-Object { $store.AssetIdOf($_) -eq $original.Id }
        $views = [QualityBench]::Views($model, [QualityBench]::RepOf($original), 'All')
        [pscustomobject]@{ Group = $g; Name = (Split-Path $dir -Leaf); Stored = [QualityBench]::FirstRow($store, $g); Views = $views; Path = $original.Path }
    }
    $methods = [ordered]@{
        'before (plain cosine, anchor as is)' = @{ Views = $false; Mean = $null }
        '+views'                              = @{ Views = $true; Mean = $null }
        'centred (shipped) only'              = @{ Views = $false; Mean = $shipped.Mean }
        '+views, centred (library mean)'      = @{ Views = $true; Mean = $libraryMean }
        '+views, centred (shipped; default)'  = @{ Views = $true; Mean = $shipped.Mean }
    }
    $results = [ordered]@{}
    foreach ($name in $methods.Keys) {
        $m = $methods[$name]
        $aps = @(); $ranks = @{}; foreach ($v in [QualityBench]::Variants) { $ranks[$v] = [Collections.Generic.List[int]]::new() }
        $copyScores = [Collections.Generic.List[double]]::new(); $otherScores = [Collections.Generic.List[double]]::new()
        foreach ($q in $queries) {
            $positives = [Collections.Generic.List[float[]]]::new(); $positives.Add($q.Stored)
            if ($m.Views) { foreach ($v in $q.Views) { $positives.Add($v) } }
            $r = [QualityBench]::Rank($store, $positives, $m.Mean, $q.Group)
            $relevant = @()
            foreach ($g in $r.Keys) {
                if ($groupOf[$g] -eq $q.Name) { $ranks[$variantOf[$g]].Add($r[$g].Rank); $relevant += $r[$g].Rank; $copyScores.Add($r[$g].Score) }
                else { $otherScores.Add($r[$g].Score) }
            }
            $aps += [QualityBench]::AveragePrecision([int[]]$relevant)
        }
        $top10 = { param($v) @($ranks[$v] | Where-Object { $_ -le 10 }).Count / $ranks[$v].Count }
        $sortedOther = $otherScores | Sort-Object
        $results[$name] = [pscustomobject]@{
            Method       = $name
            mAP          = ($aps | Measure-Object -Average).Average
            Ranks        = $ranks
            MirrorTop10  = & $top10 'mirrored'
            RotatedTop10 = & $top10 'rotated'
            CopyMedian   = [QualityBench]::Median([int[]]($copyScores | ForEach-Object { [int]($_ * 1000) })) / 1000
            OtherMedian  = [QualityBench]::Median([int[]]($otherScores | ForEach-Object { [int]($_ * 1000) })) / 1000
            Other99      = $sortedOther[[int][Math]::Floor(0.99 * ($sortedOther.Count - 1))]
            Others       = [double[]]$otherScores
            Copies       = [double[]]$copyScores
        }
    }
    ''
    'Median rank of each variant (anchor = the original; {0} groups, {1} pictures):' -f $queries.Count, $store.GroupCount
    $header = '{0,-38}{1,7}' -f 'method', 'mAP'
    foreach ($v in [QualityBench]::Variants) { $header += '{0,12}' -f $v }
    $header += '{0,10}{1,10}{2,10}{3,10}{4,10}' -f 'mir<=10', 'rot<=10', 'copy', 'other', 'other99'
    $header
    foreach ($r in $results.Values) {
        $line = '{0,-38}{1,7}' -f $r.Method, $r.mAP.ToString('F3', $inv)
        foreach ($v in [QualityBench]::Variants) { $line += '{0,12}' -f [QualityBench]::Median($r.Ranks[$v]).ToString('0.#', $inv) }
        $line += '{0,10}{1,10}{2,10}{3,10}{4,10}' -f $r.MirrorTop10.ToString('P0', $inv), $r.RotatedTop10.ToString('P0', $inv), $r.CopyMedian.ToString('F2', $inv), $r.OtherMedian.ToString('F2', $inv), ([double]$r.Other99).ToString('F2', $inv)
        $line
    }
    '(copy / other: median score of a copy / of an unrelated picture; other99: the 99th percentile of unrelated scores)'
    ''
    'Thresholds: the old resnet18 MinScore values and the score that lets the same share of unrelated pictures through now:'
    $old = $results['before (plain cosine, anchor as is)']; $new = $results['+views, centred (shipped; default)']
    foreach ($t in 0.5, 0.55, 0.6, 0.65, 0.7, 0.8) {
        $eq = [QualityBench]::EquivalentThreshold($old.Others, $new.Others, $t)
        $copiesOld = @($old.Copies | Where-Object { $_ -ge $t }).Count / $old.Copies.Count
        $copiesNew = @($new.Copies | Where-Object { $_ -ge $eq[0] }).Count / $new.Copies.Count
        '  old {0:F2} -> new {1:F2} ({2:P1} of unrelated pass; copies kept: {3:P0} before, {4:P0} now)' -f $t, $eq[0], $eq[1], $copiesOld, $copiesNew
    }
    ''

    # The same queries through the cmdlet users run (default views and scores), and their cost.
    $aps = @(); $timeViews = @(); $timeNone = @()
    Find-SimilarMedia -Library $root -Anchor $queries[0].Path -AnchorViews None | Out-Null # model and store loaded once, as in a session
    foreach ($q in $queries) {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $found = @(Find-SimilarMedia -Library $root -Anchor $q.Path -K 1000 -MinScore -1)
        $timeViews += $sw.Elapsed.TotalMilliseconds
        $sw.Restart()
        Find-SimilarMedia -Library $root -Anchor $q.Path -K 1000 -MinScore -1 -AnchorViews None | Out-Null
        $timeNone += $sw.Elapsed.TotalMilliseconds
        $others = @($found | Where-Object Path -NE $q.Path)
        $relevant = for ($i = 0; $i -lt $others.Count; $i++) { if ((Split-Path (Split-Path $others[$i].Path) -Leaf) -eq $q.Name) { $i + 1 } }
        $aps += [QualityBench]::AveragePrecision([int[]]$relevant)
    }
    $mapCmdlet = ($aps | Measure-Object -Average).Average
    $before = $results['before (plain cosine, anchor as is)']
    $after = $results['+views, centred (shipped; default)']
    $medViews = [QualityBench]::Median([int[]]($timeViews | ForEach-Object { [int]$_ }))
    $medNone = [QualityBench]::Median([int[]]($timeNone | ForEach-Object { [int]$_ }))
    Write-BenchLine -Stage 'quality-map' -Ours $mapCmdlet -Peer 'before' -PeerValue $before.mAP -Unit 'mAP'
    Write-BenchLine -Stage 'quality-mirrored-in-top10' -Ours $after.MirrorTop10 -Peer 'before' -PeerValue $before.MirrorTop10 -Unit 'share-of-groups' -Digits 2
    Write-BenchLine -Stage 'quality-rotated-in-top10' -Ours $after.RotatedTop10 -Peer 'before' -PeerValue $before.RotatedTop10 -Unit 'share-of-groups' -Digits 2
    Write-BenchLine -Stage 'quality-unrelated-median-score' -Ours $after.OtherMedian -Peer 'before' -PeerValue $before.OtherMedian -Unit 'score' -Digits 2
    Write-BenchLine -Stage 'quality-query-time-with-views' -Ours $medViews -Peer '-AnchorViews None' -PeerValue $medNone -Unit 'ms' -Digits 0
    "(quality-map: through Find-SimilarMedia with its defaults. Extra time per query for the views: $([int]($medViews - $medNone)) ms, the median over $($queries.Count) queries whose anchor is in the library: 4 extra embeddings per anchor. Timed on whatever else this machine is running.)"
    $model.Dispose()
}
finally {
    Remove-Module MediaTagger -ErrorAction Ignore
    if (-not $LibraryRoot -and (Test-Path $root)) { Remove-Item $root -Recurse -Force -ErrorAction Ignore }
}
