#requires -Version 7.4
<#
.SYNOPSIS
    Scan benchmark: a generated tree of 100,000 files; our full scan and our re-scan of the unchanged tree,
    beside `find <root> -type f | wc -l` in the same run (warm cache for all three).
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [int] $Files = 100000,
    [int] $PerFolder = 100
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1')

$root = Join-Path ([IO.Path]::GetTempPath()) "mt-bench-scan-$Files"
if (-not (Test-Path "$root/.complete")) {
    if (Test-Path $root) { Remove-Item $root -Recurse -Force }
    Write-Host "Generating $Files files under $root ..."
    $exts = 'jpg', 'JPG', 'png', 'heic', 'mov', 'mp4', 'nef', 'txt', 'xmp', 'jpeg'
    $folders = [Math]::Ceiling($Files / $PerFolder)
    for ($d = 0; $d -lt $folders; $d++) {
        $dir = [IO.Path]::Combine($root, "year$($d % 20)", "event$d")
        [IO.Directory]::CreateDirectory($dir) | Out-Null
        for ($f = 0; $f -lt $PerFolder -and $d * $PerFolder + $f -lt $Files; $f++) {
            [IO.File]::WriteAllBytes([IO.Path]::Combine($dir, "IMG_$f.$($exts[$f % $exts.Count])"), [byte[]]@(1, 2, 3))
        }
    }
    New-Item "$root/.complete" | Out-Null
}
Remove-Item "$root/.mediatagger" -Recurse -Force -ErrorAction Ignore

# Warm the page cache and dentries once, so every contender sees the same warm tree.
& bash -c "find '$root' -type f | wc -l" | Out-Null
$find = Measure-Best { & bash -c "find '$root' -type f | wc -l" } -Repeat 5
# The same walk when find also reads each file's size and time, as a scan must to see what changed.
$findStat = Measure-Best { & bash -c "find '$root' -type f -printf '%s %T@\n' | wc -l" } -Repeat 5

# Warm the JIT on a throw-away tree, so the figure is the scan and not first-call compilation.
$warm = Join-Path ([IO.Path]::GetTempPath()) "mt-bench-scan-warm"
New-Item -ItemType Directory -Force "$warm/a" | Out-Null
Set-Content "$warm/a/x.jpg" 'x'
$null = Get-MediaAsset -Path $warm
Remove-Item $warm -Recurse -Force

$sw = [Diagnostics.Stopwatch]::StartNew()
$assets = Get-MediaAsset -Path $root
$sw.Stop()
$full = $sw.Elapsed.TotalSeconds
Write-Host "full scan: $($assets.Count) assets"
$assets = $null

$rescan = Measure-Best { $null = Get-MediaAsset -Path $root } -Repeat 3

Write-BenchLine -Stage 'scan-full' -Ours $full -Peer 'find' -PeerValue $find -Unit 's'
Write-BenchLine -Stage 'scan-rescan' -Ours $rescan -Peer 'find' -PeerValue $find -Unit 's'
Write-BenchLine -Stage 'scan-full' -Ours $full -Peer 'find-printf-size-time' -PeerValue $findStat -Unit 's'
Write-BenchLine -Stage 'scan-rescan' -Ours $rescan -Peer 'find-printf-size-time' -PeerValue $findStat -Unit 's'
