#requires -Version 7.4
<#
.SYNOPSIS
    Recomputes the feature mean that ships with the built-in resnet18 (src/MediaTagger.Core/Models/Statistics/resnet18.json).
.DESCRIPTION
    The mean of unit-length ResNet18 vectors over pictures that are NOT in the test or bench libraries, so measured
    quality is not flattered: the ukui-wallpapers photos (Debian package ukui-wallpapers, /usr/share/backgrounds),
    each as it is, mirrored, turned 90/180/270° and cropped to its centre 70%, the views a search compares.
    Run after the built module exists: dotnet pwsh ./build.ps1 Build; dotnet pwsh ./bench/New-FeatureStatistics.ps1
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../output/MediaTagger'),
    [string] $PhotoFolder = '/usr/share/backgrounds',
    [string] $OutFile = (Join-Path $PSScriptRoot '../src/MediaTagger.Core/Models/Statistics/resnet18.json')
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
$ModulePath = (Get-Module MediaTagger).ModuleBase
'Magick.NET.Core.dll', 'Magick.NET-Q8-AnyCPU.dll', 'MediaTagger.Core.dll' | ForEach-Object { Add-Type -Path (Join-Path $ModulePath $_) }
# Other sizes of the same picture (Elephants_3840x2160.jpg beside Elephants.jpg) would count it twice.
$photos = @(Get-ChildItem $PhotoFolder -File -Include *.jpg, *.png -Recurse | Where-Object BaseName -NotMatch '_\d+x\d+$' | Sort-Object FullName)
if ($photos.Count -lt 40) { throw "Too few photos in ${PhotoFolder}: apt-get install ukui-wallpapers mate-backgrounds lomiri-wallpapers-16.04 lomiri-wallpapers-20.04" }
$temp = Join-Path ([IO.Path]::GetTempPath()) "mediatagger-stats-$PID"
New-Item -ItemType Directory $temp | Out-Null
try {
    $files = foreach ($photo in $photos) {
        $image = [ImageMagick.MagickImage]::new($photo.FullName)
        try {
            $image.AutoOrient()
            $image.Alpha('Remove')
            $image.Resize(512, 512)
            foreach ($view in 'Original', 'Mirrored', 'Rotated90', 'Rotated180', 'Rotated270', 'Cropped') {
                $copy = $image.Clone()
                if ($view -eq 'Cropped') {
                    $w = [int]($copy.Width * 0.7); $h = [int]($copy.Height * 0.7)
                    $copy.Crop([ImageMagick.MagickGeometry]::new([int](($copy.Width - $w) / 2), [int](($copy.Height - $h) / 2), $w, $h)); $copy.ResetPage()
                }
                else { [MediaTagger.Core.Search.AnchorEmbedder]::Apply($copy, $view) }
                $file = Join-Path $temp "$($photos.IndexOf($photo))-$view.png"
                $copy.Write($file); $copy.Dispose()
                $file
            }
        }
        finally { $image.Dispose() }
    }
    $model = [MediaTagger.Core.Models.ResNet18Model]::Load()
    try {
        $vectors = $model.EmbedImages([string[]]$files, [Threading.CancellationToken]::None)
        $source = "mean of $($vectors.Count) unit vectors: $($photos.Count) pictures of the Debian packages ukui-wallpapers, mate-backgrounds, lomiri-wallpapers-16.04 and -20.04, each as is, mirrored, turned 90/180/270 degrees and centre-cropped to 70% (bench/New-FeatureStatistics.ps1)"
        $stats = [MediaTagger.Core.Models.FeatureStatistics]::Compute($model.ModelId, $source, $vectors)
        New-Item -ItemType Directory -Force (Split-Path $OutFile) | Out-Null
        [IO.File]::WriteAllText($OutFile, [Text.Json.JsonSerializer]::Serialize($stats, [MediaTagger.Core.Common.Json]::Options))
        "Wrote $OutFile ($source)"
    }
    finally { $model.Dispose() }
}
finally { Remove-Item $temp -Recurse -Force -ErrorAction Ignore }
