BeforeAll {
    Import-Module $env:MEDIATAGGER_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TagCrashLoop.psm1') -Force
    $script:savedHome = $env:MEDIATAGGER_HOME
    $env:MEDIATAGGER_HOME = New-TestFolder 'crashhome'
    $script:fixtures = New-TestFolder 'crashfix'
    $script:jpeg = Join-Path $script:fixtures 'tiny.jpg'
    & ffmpeg -v error -f lavfi -i 'color=c=orange:s=32x24' -frames:v 1 -y $script:jpeg
}
AfterAll {
    Remove-TestFolder $env:MEDIATAGGER_HOME
    $env:MEDIATAGGER_HOME = $script:savedHome
    Remove-TestFolder $script:fixtures
}

Describe 'Sidecar writes killed at random moments' {
    It 'leaves every sidecar valid, no temporary files after the next run, and every write undoable (20 kills over 200 files)' {
        $r = Invoke-TagCrashLoop -Files 200 -Kills 20 -Jpeg $script:jpeg
        Write-Host ("crash loop: " + ($r | ConvertTo-Json -Compress))
        $r.Kills | Should -Be 20
        $r.InvalidSidecars | Should -Be 0
        $r.TempFilesAfterRecovery | Should -Be 0
        $r.UnsettledAfterRecovery | Should -Be 0
        $r.UndoErrors | Should -Be 0 -Because ($r.UndoErrorMessages -join '; ')
        $r.NotRestored | Should -Be 0
        # The kills must have hit writes in flight, or this test proves nothing.
        $r.KilledWhileWriting | Should -BeGreaterThan 0
    }
}
