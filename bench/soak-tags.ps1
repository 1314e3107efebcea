#requires -Version 7.4
<#
.SYNOPSIS
    Crash soak for sidecar writes: kill -9 at 50 random moments of a tag / remove / undo loop over 200 photos, then
    the next run settles what the kills left and undoes every write. Prints what issue 13 asks to count.
.EXAMPLE
    dotnet pwsh ./build.ps1 Build; dotnet pwsh bench/soak-tags.ps1 -ModulePath output/MediaTagger -Kills 50
#>
param([string] $ModulePath = (Join-Path $PSScriptRoot '../output/MediaTagger'), [int] $Kills = 50, [int] $Files = 200)
$ErrorActionPreference = 'Stop'
$env:MEDIATAGGER_MODULE = (Resolve-Path (Join-Path $ModulePath 'MediaTagger.psd1')).Path
Import-Module $env:MEDIATAGGER_MODULE -Force
Import-Module (Join-Path $PSScriptRoot '../tests/Pester/TagCrashLoop.psm1') -Force
$savedHome = $env:MEDIATAGGER_HOME
$env:MEDIATAGGER_HOME = Join-Path ([IO.Path]::GetTempPath()) "mt-soak-home-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
$jpeg = Join-Path $env:MEDIATAGGER_HOME 'seed.jpg'
try {
    New-Item -ItemType Directory -Force $env:MEDIATAGGER_HOME | Out-Null
    & ffmpeg -v error -f lavfi -i 'color=c=orange:s=32x24' -frames:v 1 -y $jpeg
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $r = Invoke-TagCrashLoop -Files $Files -Kills $Kills -Jpeg $jpeg
    $r | Format-List | Out-String | Write-Host
    Write-Output ("soak tags: {0} kills over {1} files in {2:N0} s | {3} kills hit writes in flight, {4} writes left unsettled and recovered | temp files after next run {5} | invalid sidecars {6} | undo errors {7} | sidecars not restored {8} | unsettled after recovery {9}" -f `
            $r.Kills, $Files, $clock.Elapsed.TotalSeconds, $r.KilledWhileWriting, $r.UnsettledWrites, $r.TempFilesAfterRecovery, $r.InvalidSidecars, $r.UndoErrors, $r.NotRestored, $r.UnsettledAfterRecovery)
    if ($r.InvalidSidecars -or $r.TempFilesAfterRecovery -or $r.UndoErrors -or $r.NotRestored -or $r.UnsettledAfterRecovery) { exit 1 }
}
finally {
    Remove-Item -LiteralPath $env:MEDIATAGGER_HOME -Recurse -Force -ErrorAction SilentlyContinue
    $env:MEDIATAGGER_HOME = $savedHome
}
