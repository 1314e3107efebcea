# Invoke-MediaReview as users run it: Ctrl+C, errors with stable ids. The page itself is driven in a real browser by
# tests/MediaTagger.Review.Tests (Playwright).
BeforeAll {
    Import-Module $env:MEDIATAGGER_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force

    # A scanned library of real photos and a last query over them (what Find-* leaves behind).
    function New-ReviewLibrary {
        $lib = New-TestFolder 'review'
        $i = 0
        foreach ($p in Get-TestPhoto -Count 3) { Copy-Item $p (Join-Path $lib "p$((++$i))$([IO.Path]::GetExtension($p))") }
        $assets = @(Get-MediaAsset -Path $lib)
        $rank = 0
        $results = @($assets | ForEach-Object { $rank++; @{ id = $_.Id; path = $_.Path; relativePath = $_.RelativePath; type = 'image'; score = 1 - $rank / 10; rank = $rank } })
        @{ kind = 'text'; library = $lib; model = 'm'; text = @('a photo of a dog'); minScore = 0.75; k = 3; results = $results } |
            ConvertTo-Json -Depth 4 | Set-Content -LiteralPath (Join-Path $lib '.mediatagger/data/last_query.json')
        $lib
    }
}

Describe 'Invoke-MediaReview' {
    BeforeEach { $lib = New-ReviewLibrary }
    AfterEach { Remove-TestFolder $lib }

    It 'stops the server and approves nothing on Ctrl+C' {
        $review = Start-ReviewRunspace "Invoke-MediaReview -Library '$lib' -NoBrowser"
        $ps, $handle, $output, $url = $review.PowerShell, $review.Handle, $review.Output, $review.Url
        $url | Should -Match '^http://127\.0\.0\.1:\d+/[0-9a-f]{32}/$'
        (Invoke-WebRequest $url -UseBasicParsing).StatusCode | Should -Be 200

        # PowerShell.Stop() is exactly what Ctrl+C does to a running pipeline.
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $ps.Stop()
        $sw.Stop()
        try { $ps.EndInvoke($handle) } catch { }

        # A hang guard, not a speed figure (the suite runs on loaded machines): the time is printed, not asserted.
        Write-Host "    Invoke-MediaReview stopped $([int]$sw.Elapsed.TotalMilliseconds) ms after Ctrl+C"
        $sw.Elapsed.TotalSeconds | Should -BeLessThan 10
        $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        $output.Count | Should -Be 0
        { Invoke-WebRequest $url -UseBasicParsing -TimeoutSec 5 } | Should -Throw
        Test-Path (Join-Path $lib '.mediatagger/data/reviews') | Should -BeFalse
        $ps.Dispose()
    }

    It 'says what to do when there is nothing to review' {
        Remove-Item (Join-Path $lib '.mediatagger/data/last_query.json')
        { Invoke-MediaReview -Library $lib -NoBrowser -ErrorAction Stop } | Should -Throw -ErrorId 'MediaReviewQueryMissing,MediaTagger.PowerShell.Cmdlets.InvokeMediaReviewCommand'
    }

    It 'reports a port that is taken' {
        $taken = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $taken.Start()
        try {
            { Invoke-MediaReview -Library $lib -NoBrowser -Port $taken.LocalEndpoint.Port -ErrorAction Stop -WarningAction SilentlyContinue } |
                Should -Throw -ErrorId 'MediaReviewPortInUse,MediaTagger.PowerShell.Cmdlets.InvokeMediaReviewCommand'
        }
        finally { $taken.Stop() }
    }

    It 'refuses -UseGridView where Out-GridView does not exist' -Skip:$IsWindows {
        { Invoke-MediaReview -Library $lib -UseGridView -ErrorAction Stop } |
            Should -Throw -ErrorId 'MediaReviewGridViewUnavailable,MediaTagger.PowerShell.Cmdlets.InvokeMediaReviewCommand'
    }

}
