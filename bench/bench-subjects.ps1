#requires -Version 7.4
<#
.SYNOPSIS
    Benchmarks subject learning with a simulated reviewer on labelled real photographs.
.DESCRIPTION
    Data: the files named in subjects-labels.json (Debian's wallpapers and scikit-image's sample images, labelled by
    looking at them), each cut into several seeded crops (varied framing, scale and mirroring, so a subject has dozens
    of pictures that are not near-identical), scanned, rendered and embedded with the built-in ResNet18.
    For each subject: start from 2 anchors (one crop of each of two labelled files) and run 8 review rounds of 24
    (Find-MediaSubject -Next, the simulated reviewer answering from the labels, Add-MediaSubjectDecision). Recall after
    1, 2, 4 and 8 rounds is printed beside the one-shot baseline: the same number of top-ranked items of
    Find-SimilarMedia with the 2 anchors. Then training time per round, and the query time of Find-MediaSubject over a
    100k-row store beside Find-SimilarMedia over the same store.
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../output/MediaTagger'),
    # Keeps (or reuses) the embedded photo library here instead of a temporary folder, for tuning runs.
    [string] $LibraryPath
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1') -Force
$core = Join-Path (Get-Module MediaTagger).ModuleBase 'MediaTagger.Core.dll'
Add-Type -IgnoreWarnings -WarningAction SilentlyContinue -ReferencedAssemblies $core, System.Collections, System.Runtime -TypeDefinition @'
using System;
using System.Collections.Generic;
using MediaTagger.Core.Library;
using MediaTagger.Core.Store;

public static class SubjectBench
{
    // A library of `count` catalogued assets (no files) with random unit vectors, written through the catalog and store APIs.
    public static void CreateLibrary(string root, int count, int dim, string model, string modelId)
    {
        var library = MediaLibrary.Open(root);
        var rng = new Random(42);
        var rows = new List<StoreRow>(count);
        AssetCatalog.Update(library, catalog =>
        {
            for (var i = 0; i < count; i++)
            {
                var rel = "photos/" + (i / 1000).ToString("D4") + "/IMG_" + i.ToString("D7") + ".jpg";
                var asset = MediaAsset.Create(library, library.FullPathOf(rel), rel, MediaType.Image, 1234567, new DateTime(2024, 5, 1, 10, 0, 0, DateTimeKind.Utc));
                catalog.Set(asset);
                var v = new float[dim];
                double norm = 0;
                for (var d = 0; d < dim; d++) { v[d] = (float)(rng.NextDouble() * 2 - 1); norm += v[d] * v[d]; }
                var inv = (float)(1 / Math.Sqrt(norm));
                for (var d = 0; d < dim; d++) v[d] *= inv;
                rows.Add(new StoreRow(asset.Id, "bench", v));
            }
            return true;
        });
        var store = EmbeddingStore.OpenOrCreate(library, model, modelId, dim, "bench");
        for (var i = 0; i < rows.Count; i += 10000) store.Append(rows.GetRange(i, Math.Min(10000, rows.Count - i)));
    }
}
'@

Add-Type -Path (Join-Path (Get-Module MediaTagger).ModuleBase 'Magick.NET-Q8-AnyCPU.dll'), (Join-Path (Get-Module MediaTagger).ModuleBase 'Magick.NET.Core.dll')
$labels = Get-Content (Join-Path $PSScriptRoot 'subjects-labels.json') -Raw | ConvertFrom-Json
$missing = @($labels.items | Where-Object { -not (Test-Path $_.file) })
if ($missing) { throw "Missing sample files (install $($labels.packages -join ', ')): $($missing.file -join ', ')" }

$root = Join-Path ([IO.Path]::GetTempPath()) "mt-bench-subjects-$PID"
$lib = $LibraryPath ? $LibraryPath : (Join-Path $root 'library')
$reuse = $LibraryPath -and (Test-Path (Join-Path $lib '.mediatagger/data/embeddings/resnet18/embeddings.meta.json'))
New-Item -ItemType Directory -Force $lib | Out-Null
Remove-Item (Join-Path $lib '.mediatagger/data/subjects'), (Join-Path $lib '.mediatagger/data/reviews') -Recurse -Force -ErrorAction Ignore
try {
    # --- the library: seeded crops of every labelled file ---
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $rng = [Random]::new(2026)
    $truth = @{}     # relative path -> labels
    $crops = [int]$labels.cropsPerFile
    foreach ($item in $labels.items) {
        $stem = [IO.Path]::GetFileNameWithoutExtension($item.file)
        if ($item.file -like '*/contents/images/*') { $stem = Split-Path (Split-Path (Split-Path (Split-Path $item.file))) -Leaf }
        if ($reuse) {
            for ($c = 0; $c -lt $crops; $c++) { $truth['{0}_c{1}.jpg' -f $stem, $c] = @($item.labels) }
            continue
        }
        $source = [ImageMagick.MagickImage]::new($item.file)
        $source.AutoOrient()
        $source.Resize([ImageMagick.MagickGeometry]::new('1200x1200>'))
        for ($c = 0; $c -lt $crops; $c++) {
            # 35-85 % of each side, anywhere in the picture, mirrored half of the time.
            $w = [int]($source.Width * (0.35 + 0.5 * $rng.NextDouble()))
            $h = [int]($source.Height * (0.35 + 0.5 * $rng.NextDouble()))
            $x = $rng.Next(0, [int]$source.Width - $w + 1)
            $y = $rng.Next(0, [int]$source.Height - $h + 1)
            $crop = $source.CloneArea($x, $y, [uint32]$w, [uint32]$h)
            if ($rng.Next(2) -eq 1) { $crop.Flop() }
            $crop.Quality = 90
            $name = '{0}_c{1}.jpg' -f $stem, $c
            $crop.Write((Join-Path $lib $name), [ImageMagick.MagickFormat]::Jpeg)
            $crop.Dispose()
            $truth[$name] = @($item.labels)
        }
        $source.Dispose()
    }
    $prepare = $sw.Elapsed.TotalSeconds
    $sw.Restart()
    if (-not $reuse) { $null = Get-MediaAsset -Path $lib | New-MediaRep | Add-MediaEmbedding -Model resnet18 }
    Write-Host ("library: {0} crops of {1} files (crops {2:0.0} s, scan+reps+embed {3:0.0} s, machine shared)" -f $truth.Count, $labels.items.Count, $prepare, $sw.Elapsed.TotalSeconds)

    $checkpoints = 1, 2, 4, 8
    $batch = 24
    $ours = @{}; $base = @{}; $trainMs = [Collections.Generic.List[double]]::new()
    foreach ($cp in $checkpoints) { $ours[$cp] = [Collections.Generic.List[double]]::new(); $base[$cp] = [Collections.Generic.List[double]]::new() }
    foreach ($subjectName in $labels.subjects.PSObject.Properties.Name) {
        $anchorFiles = @($labels.subjects.$subjectName.anchors | ForEach-Object { Join-Path $lib "$($_)_c0.jpg" })
        $anchorNames = @($anchorFiles | Split-Path -Leaf)
        $positives = @($truth.Keys | Where-Object { $truth[$_] -contains $subjectName -and $_ -notin $anchorNames })
        $null = New-MediaSubject $subjectName -Anchor $anchorFiles -Library $lib

        # Baseline: one query with the two anchors, the top N reviewed.
        $ranked = @(Find-SimilarMedia -Anchor $anchorFiles -Library $lib -Model resnet18 -K ($batch * 8 + 2) -MinScore -1 |
                Where-Object { $_.Name -notin $anchorNames } | ForEach-Object Name)
        # Ours: rounds of the active review, the reviewer answering from the labels.
        $found = 0
        $line = "{0,-8} {1,3} positives |" -f $subjectName, $positives.Count
        for ($round = 1; $round -le 8; $round++) {
            $next = @(Find-MediaSubject $subjectName -Next -BatchSize $batch -Library $lib -Model resnet18)
            $next = @($next | ForEach-Object { [MediaTagger.Core.Review.ReviewedAsset]::Of($_, $truth[$_.Name] -contains $subjectName) })
            $found += @($next | Where-Object Approved).Count
            $next | Add-MediaSubjectDecision $subjectName
            $status = Measure-MediaSubject $subjectName -Library $lib -Model resnet18
            if ($status.Mode -eq 'Classifier') { $trainMs.Add($status.TrainingMilliseconds) }
            if ($round -in $checkpoints) {
                $n = $round * $batch
                $r = $found / $positives.Count
                $b = @($ranked | Select-Object -First $n | Where-Object { $truth[$_] -contains $subjectName }).Count / $positives.Count
                $ours[$round].Add($r); $base[$round].Add($b)
                $line += " {0}: {1:0.00} vs {2:0.00}" -f $n, $r, $b
            }
            if ($round -eq 8 -or $round -eq 4) {
                $line += (' [{0}{1}]' -f ($status.EstimatedUnreviewed -ne $null ? ('~{0:0.0} left' -f $status.EstimatedUnreviewed) : 'anchors'), ($status.ProbablyDone ? ', probably done' : ''))
            }
        }
        Write-Host $line
    }
    foreach ($cp in $checkpoints) {
        $o = ($ours[$cp] | Measure-Object -Average).Average
        $b = ($base[$cp] | Measure-Object -Average).Average
        Write-BenchLine -Stage subjects -Ours $o -Peer 'one-shot' -PeerValue $b -Unit "recall-at-$($cp * $batch)" | Write-Host
    }
    $trainMedian = if ($trainMs.Count) { ($trainMs | Sort-Object)[[int]($trainMs.Count / 2)] } else { [double]::NaN }
    $trainMax = if ($trainMs.Count) { ($trainMs | Measure-Object -Maximum).Maximum } else { [double]::NaN }
    Write-Host ("training per round: median {0:0} ms, max {1:0} ms (up to {2} examples, cross-validation included)" -f $trainMedian, $trainMax, (2 + 8 * $batch))

    # --- query time over a 100k-row store: the learned subject vs a one-shot search, same store ---
    $big = Join-Path $root 'big'
    $model = (Get-ChildItem (Join-Path $lib '.mediatagger/data/embeddings') -Directory)[0]
    $null = New-Item -ItemType Directory -Force $big
    $meta = Get-Content (Join-Path $model.FullName 'embeddings.meta.json') -Raw | ConvertFrom-Json
    [SubjectBench]::CreateLibrary($big, 100000, [int]$meta.dim, 'resnet18', $meta.modelId) | Out-Null
    $catalog = [MediaTagger.Core.Library.AssetCatalog]::Load([MediaTagger.Core.Library.MediaLibrary]::Open($big))
    $assets = @($catalog.Assets | Select-Object -First 400)
    $null = New-MediaSubject bench -Anchor $assets[0], $assets[1] -Library $big
    $assets[2..399] | ForEach-Object { [MediaTagger.Core.Review.ReviewedAsset]::Of($_, $_.Id[0] -lt '8') } | Add-MediaSubjectDecision bench
    $null = Find-MediaSubject bench -Library $big -Model resnet18 -K 100   # resident store loaded once, as in a session
    $oursMs = (1..9 | ForEach-Object { (Measure-Command { $null = Find-MediaSubject bench -Library $big -Model resnet18 -K 100 }).TotalMilliseconds } | Measure-Object -Minimum).Minimum
    $null = Find-SimilarMedia -Anchor $assets[0], $assets[1] -Library $big -Model resnet18 -K 100 -MinScore -1
    $peerMs = (1..9 | ForEach-Object { (Measure-Command { $null = Find-SimilarMedia -Anchor $assets[0], $assets[1] -Library $big -Model resnet18 -K 100 -MinScore -1 }).TotalMilliseconds } | Measure-Object -Minimum).Minimum
    Write-Host ("query over 100k rows with 400 decisions (training included): {0:0} ms; one-shot search {1:0} ms" -f $oursMs, $peerMs)
    Write-BenchLine -Stage subjects -Ours $oursMs -Peer 'one-shot-search' -PeerValue $peerMs -Unit 'ms-query-100k' -Digits 1 | Write-Host
}
finally {
    Remove-Item $root -Recurse -Force -ErrorAction Ignore
}
