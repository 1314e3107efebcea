#requires -Version 7.4
<#
.SYNOPSIS
    Reps benchmark: New-MediaRep against vipsthumbnail and ImageMagick's convert -thumbnail, same photos, same run.
.DESCRIPTION
    The Debian wallpaper photos (one file per wallpaper, as Get-TestPhoto picks them), repeated through hard links
    to a few hundred files, are rendered to 512 px JPEGs (quality 85) by each tool using every core: New-MediaRep
    with its default -ThrottleLimit, vipsthumbnail and convert as one batch per core. Prints images/s and ratios
    (ours / peer; above 1 means New-MediaRep is faster). Ours and vipsthumbnail run twice, alternately, and keep their
    best time; convert, much slower, runs once.
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../output/MediaTagger'),
    [int] $Count = 300
)
$ErrorActionPreference = 'Stop'
$ModulePath = (Resolve-Path $ModulePath).Path
Import-Module $ModulePath -Force
Add-Type -Path (Join-Path $ModulePath 'Magick.NET.Core.dll'), (Join-Path $ModulePath 'Magick.NET-Q8-AnyCPU.dll')
Import-Module (Join-Path $PSScriptRoot '../tests/Pester/TestHelpers.psm1') -Force

# Some wallpaper sizes are symbolic links to another size: link to the real file.
$photos = @(Get-TestPhoto | Where-Object { $_ -like '/usr/share/wallpapers/*' } | ForEach-Object { (Get-Item $_).ResolveLinkTarget($true)?.FullName ?? $_ })
$convert = '/usr/bin/convert'   # the real ImageMagick, not a stand-in earlier on PATH
foreach ($tool in 'vipsthumbnail', $convert) {
    if (-not (Get-Command $tool -ErrorAction Ignore)) { throw "$tool is missing: install libvips-tools and imagemagick." }
}
$cores = [Environment]::ProcessorCount
$root = New-TestFolder 'bench-reps'
try {
    # Hard links: distinct files (and asset ids) for the same photos, without copying gigabytes.
    $lib = New-Item -ItemType Directory (Join-Path $root 'lib')
    $files = foreach ($i in 0..($Count - 1)) {
        $source = $photos[$i % $photos.Count]
        $name = '{0:D4}-{1}{2}' -f $i, (Split-Path (Split-Path (Split-Path (Split-Path $source))) -Leaf), [IO.Path]::GetExtension($source)
        (New-Item -ItemType HardLink -Path (Join-Path $lib $name) -Target $source).FullName
    }
    $megapixels = ($photos | ForEach-Object { $i = [ImageMagick.MagickImageInfo]::new($_); $i.Width * $i.Height / 1e6 } | Measure-Object -Average).Average
    Write-Host ("{0} files from {1} wallpaper photos (average {2:N1} megapixels), {3} cores" -f $Count, $photos.Count, $megapixels, $cores)
    Get-MediaAsset -Path $lib | Out-Null

    # Each tool gets one batch per core, run at the same time.
    $chunks = @(for ($c = 0; $c -lt $cores; $c++) { , @(for ($i = $c; $i -lt $files.Count; $i += $cores) { $files[$i] }) })
    function Measure-Batches([scriptblock] $StartOne) {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $procs = for ($c = 0; $c -lt $cores; $c++) { & $StartOne $c $chunks[$c] }
        foreach ($p in $procs) { $p.WaitForExit(); if ($p.ExitCode) { throw "a peer batch failed with exit code $($p.ExitCode)" } }
        $sw.Elapsed.TotalSeconds
    }
    function Start-Batch([string] $File, [string[]] $Arguments) {
        $psi = [Diagnostics.ProcessStartInfo]::new($File)
        foreach ($a in $Arguments) { $psi.ArgumentList.Add($a) }
        $psi.RedirectStandardError = $true
        $psi.UseShellExecute = $false
        $p = [Diagnostics.Process]::Start($psi)
        $null = $p.StandardError.ReadToEndAsync()   # vips warns about odd EXIF units; do not let the pipe fill up
        $p
    }

    $vipsOut = New-Item -ItemType Directory (Join-Path $root 'vips')
    $runVips = {
        Measure-Batches {
            param($c, $chunk)
            Start-Batch 'vipsthumbnail' (@('-s', '512', '-o', "$vipsOut/%s.jpg[Q=85,strip]") + $chunk)
        }
    }
    $runOurs = {
        param([switch] $Force)
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $reps = @(New-MediaRep -Library $lib -Force:$Force -ErrorVariable errs)
        if ($errs -or $reps.Count -ne $Count) { throw "New-MediaRep rendered $($reps.Count) of $Count files: $errs" }
        $sw.Elapsed.TotalSeconds
    }
    # Ours and vips alternate twice and keep their best time: other load on a shared machine hits both alike.
    $ours = & $runOurs
    $vips = & $runVips
    $ours = [Math]::Min($ours, (& $runOurs -Force))
    $vips = [Math]::Min($vips, (& $runVips))

    $imOut = New-Item -ItemType Directory (Join-Path $root 'convert')
    $im = Measure-Batches {
        param($c, $chunk)
        # One convert per file, as a shell loop would run it.
        $script = 'for f in "$@"; do "' + $convert + '" "$f" -auto-orient -thumbnail "512x512>" -quality 85 -strip "' + $imOut + '/$(basename "$f").jpg" || exit 1; done'
        Start-Batch 'bash' (@('-c', $script, 'bench') + $chunk)
    }
    foreach ($dir in $vipsOut, $imOut) {
        $n = @(Get-ChildItem $dir -File).Count
        if ($n -ne $Count) { throw "$dir holds $n reps, expected $Count" }
    }

    $oursRate = $Count / $ours
    $vipsRate = $Count / $vips
    $imRate = $Count / $im
    '{0} rendered in {1:N2} s; vipsthumbnail {2:N2} s; convert -thumbnail {3:N2} s' -f $Count, $ours, $vips, $im | Write-Host
    'bench reps: ours {0:N1} images/s | vipsthumbnail {1:N1} images/s | ratio {2:N2}' -f $oursRate, $vipsRate, ($oursRate / $vipsRate)
    'bench reps: ours {0:N1} images/s | convert-thumbnail {1:N1} images/s | ratio {2:N2}' -f $oursRate, $imRate, ($oursRate / $imRate)
}
finally {
    Remove-TestFolder $root
}
