<#
.SYNOPSIS
    kill -9 at random moments of a tag / remove / undo loop over a library of photos, then checks what a user relies
    on: every sidecar valid XMP (exiftool -validate), the next run settles what the kills left (no temporary files),
    and every write undoable (undoing everything brings every sidecar back to what it was). Shared by the Pester test
    (CI, >= 20 kills) and bench/soak-tags.ps1 (50 kills).
#>
Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1')

$script:ForeignSidecar = @'
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:lr="http://ns.adobe.com/lightroom/1.0/" xmp:Rating="3">
   <dc:subject><rdf:Bag><rdf:li>Food</rdf:li><rdf:li>Fruit</rdf:li></rdf:Bag></dc:subject>
   <lr:hierarchicalSubject><rdf:Bag><rdf:li>Food|Fruit</rdf:li></rdf:Bag></lr:hierarchicalSubject>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
'@

function Get-SidecarView([string] $Dir) {
    # exiftool's view of every sidecar, by name: what a reader of the sidecars sees.
    $view = @{}
    $files = @(Get-ChildItem $Dir -Filter '*.xmp' -File)
    if ($files.Count -eq 0) { return $view }
    foreach ($j in (& exiftool -j -G1 -a -struct -XMP:all $files.FullName | ConvertFrom-Json)) {
        $props = [ordered]@{}
        foreach ($p in $j.PSObject.Properties) { if ($p.Name -notmatch '^(SourceFile|XMP-x:XMPToolkit)$') { $props[$p.Name] = $p.Value | ConvertTo-Json -Compress -Depth 10 } }
        $view[(Split-Path $j.SourceFile -Leaf)] = ($props | ConvertTo-Json -Compress)
    }
    $view
}

function Test-SidecarsValid([string] $Dir) {
    # Number of sidecars exiftool -validate reports an error or warning for.
    $files = @(Get-ChildItem $Dir -Filter '*.xmp' -File)
    if ($files.Count -eq 0) { return 0 }
    $bad = 0
    foreach ($j in (& exiftool -j -validate -warning -error $files.FullName 2>$null | ConvertFrom-Json)) {
        if ($j.Validate -ne '0 0 0' -and $j.Validate -ne 'OK' -or $j.Error) { $bad++ }
    }
    $bad
}

function Invoke-TagCrashLoop {
    param(
        [int] $Files = 200,
        [int] $Kills = 20,
        [Parameter(Mandatory)] [string] $Jpeg
    )
    $dir = New-TestFolder 'crash'
    try {
        $bytes = [IO.File]::ReadAllBytes($Jpeg)
        foreach ($i in 1..$Files) {
            [IO.File]::WriteAllBytes("$dir/IMG_$i.jpg", $bytes)
            # Every fifth photo already has a sidecar from another program: its content must come back after undo.
            if ($i % 5 -eq 0) { [IO.File]::WriteAllText("$dir/IMG_$i.xmp", $script:ForeignSidecar) }
        }
        Get-MediaAsset -Path $dir | Out-Null
        $original = Get-SidecarView $dir
        $start = (Get-Date).AddSeconds(-1)
        $marker = Join-Path $dir '.started'
        $loop = @"
`$ErrorActionPreference = 'Continue'
`$files = @(Get-ChildItem '$dir' -Filter '*.jpg' | ForEach-Object FullName)
`$r = [Random]::new()
# Warm up (module load, first-call compilation of every command) so the kill lands in the loop, not in start-up.
Set-MediaXmpTag -Path `$files[0] -Tag 'Loop|Warm' -Library '$dir' 2>`$null
Remove-MediaXmpTag -Path `$files[0] -Tag 'Loop|Warm' -Library '$dir' 2>`$null
[IO.File]::WriteAllText('$marker', 'x')
while (`$true) {
    `$subset = `$files | Get-Random -Count (`$r.Next(20, `$files.Count))
    switch (`$r.Next(3)) {
        0 { Set-MediaXmpTag -Path `$subset -Tag "Loop|T`$(`$r.Next(4))" -Library '$dir' 2>`$null }
        1 { Remove-MediaXmpTag -Path `$subset -Tag "Loop|T`$(`$r.Next(4))" -Library '$dir' 2>`$null }
        2 { Undo-MediaXmpTag -Library '$dir' 2>`$null }
    }
}
"@
        $journal = "$dir/.mediatagger/data/tag-journal.jsonl"
        $stats = [ordered]@{ Kills = 0; KilledWhileWriting = 0; UnsettledWrites = 0; InvalidSidecars = 0; TempFilesBeforeRecovery = 0; TempFilesAfterRecovery = 0; UnsettledAfterRecovery = 0; UndoErrors = 0; NotRestored = 0; JournalLines = 0 }
        $random = [Random]::new()
        while ($stats.Kills -lt $Kills) {
            Remove-Item $marker -Force -ErrorAction Ignore
            $p = Start-ModuleProcess -Script $loop
            try {
                $deadline = [DateTime]::UtcNow.AddSeconds(120)
                while (-not (Test-Path $marker) -and -not $p.HasExited -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
                Start-Sleep -Milliseconds $random.Next(0, 1200)
            }
            finally { Stop-ProcessTree $p }
            $stats.Kills++
            $temps = @(Get-ChildItem $dir -Force -Filter '.*.tmp')
            # Writes journaled but not settled: the kill hit them between their journal line and its outcome.
            $unsettled = @([MediaTagger.Core.Xmp.TagJournal]::Read($journal, $null) | Where-Object { $null -eq $_.Outcome }).Count
            if ($temps.Count -gt 0 -or $unsettled -gt 0) { $stats.KilledWhileWriting++ }
            $stats.UnsettledWrites += $unsettled
            $stats.TempFilesBeforeRecovery += $temps.Count
        }
        $stats.InvalidSidecars = Test-SidecarsValid $dir
        $stats.JournalLines = @(Get-Content "$dir/.mediatagger/data/tag-journal.jsonl").Count

        # The next run: it settles what the kills left, then undoes every write since the start.
        Undo-MediaXmpTag -Library $dir -Since $start -ErrorVariable undoErrors -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue
        $stats.UnsettledAfterRecovery = @([MediaTagger.Core.Xmp.TagJournal]::Read($journal, $null) | Where-Object { $null -eq $_.Outcome }).Count
        $stats.UndoErrors = @($undoErrors | Where-Object { $_.FullyQualifiedErrorId -notlike 'MediaXmpJournalUnreadable*' }).Count
        $stats.TempFilesAfterRecovery = @(Get-ChildItem $dir -Force -Filter '.*.tmp').Count
        $after = Get-SidecarView $dir
        $names = @($original.Keys) + @($after.Keys) | Sort-Object -Unique
        $stats.NotRestored = @($names | Where-Object { $original[$_] -ne $after[$_] }).Count
        $stats.UndoErrorMessages = @($undoErrors | Select-Object -First 3 | ForEach-Object { "$_" })
        [pscustomobject]$stats
    }
    finally { Remove-TestFolder $dir }
}

Export-ModuleMember -Function Invoke-TagCrashLoop, Get-SidecarView, Test-SidecarsValid
