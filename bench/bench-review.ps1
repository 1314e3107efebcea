#requires -Version 7.4
<#
.SYNOPSIS
    Review benchmark: how fast the review page serves the thumbnails of 2,000 candidates, beside Python's
    http.server serving the same JPEG files from a folder (the usual "look at a folder of thumbnails" way).
#>
param([string] $ModulePath)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
Import-Module (Join-Path $PSScriptRoot '../tests/Pester/TestHelpers.psm1') -Force

$count = 2000
$lib = New-TestFolder 'bench-review'
$python = $null
$ps = $null
try {
    # A catalog of 2,000 assets whose reps are real photos rendered to 384 px (cycled), and a last query over them.
    $reps = Join-Path $lib '.mediatagger/derivatives/reps'
    New-Item -ItemType Directory -Force $reps, (Join-Path $lib '.mediatagger/data') | Out-Null
    $sources = @(Get-TestPhoto -Format Jpeg | Where-Object { (Get-Item $_).Length -gt 10kb } | Select-Object -First 8)
    $rendered = foreach ($s in $sources) {
        $out = Join-Path $lib ("src-" + [IO.Path]::GetFileNameWithoutExtension($s) + [guid]::NewGuid().ToString('N').Substring(0, 4) + '.jpg')
        & convert "$s[0]" -resize 384x384 -quality 85 $out
        $out
    }
    $assets = [Collections.Generic.List[object]]::new()
    $results = [Collections.Generic.List[object]]::new()
    for ($i = 0; $i -lt $count; $i++) {
        $rel = 'photos/img{0:D5}.jpg' -f $i
        $id = [Convert]::ToHexString([Security.Cryptography.SHA1]::HashData([Text.Encoding]::UTF8.GetBytes($rel))).ToLowerInvariant()
        Copy-Item $rendered[$i % $rendered.Count] (Join-Path $reps "$id.jpg")
        $assets.Add([ordered]@{ id = $id; absolutePath = (Join-Path $lib $rel); relativePath = $rel; type = 'image'; ext = 'jpg'; size = 1; modified = '2026-01-01T00:00:00Z'; rep = @{ frames = 1; size = 384 } })
        $results.Add([ordered]@{ id = $id; path = (Join-Path $lib $rel); relativePath = $rel; type = 'image'; score = 0.9 - $i / 10000; rank = $i + 1 })
    }
    $assets | ConvertTo-Json -Depth 4 -Compress | Set-Content (Join-Path $lib '.mediatagger/data/assets.json')
    @{ kind = 'text'; text = @('bench'); minScore = 0.5; results = $results } | ConvertTo-Json -Depth 4 -Compress |
        Set-Content (Join-Path $lib '.mediatagger/data/last_query.json')

    # Ours: Invoke-MediaReview in a runspace of this process, its address read from the information stream.
    $ps = [powershell]::Create()
    $null = $ps.AddCommand('Import-Module').AddArgument($ModulePath).Invoke()
    $ps.Commands.Clear()
    $null = $ps.AddCommand('Invoke-MediaReview').AddParameter('Library', $lib).AddParameter('NoBrowser').AddParameter('Timeout', 600)
    $noInput = [Management.Automation.PSDataCollection[psobject]]::new(); $noInput.Complete()
    $handle = $ps.BeginInvoke($noInput, [Management.Automation.PSDataCollection[psobject]]::new())
    $url = $null
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while (-not $url -and [DateTime]::UtcNow -lt $deadline) {
        $url = $ps.Streams.Information | ForEach-Object { "$($_.MessageData)" } | Select-String 'http://\S+' | ForEach-Object { $_.Matches[0].Value }
        Start-Sleep -Milliseconds 50
    }
    if (-not $url) { throw 'Invoke-MediaReview printed no address.' }

    # Peer: python3 -m http.server on the same rep files.
    $port = & { $l = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0); $l.Start(); $p = $l.LocalEndpoint.Port; $l.Stop(); $p }
    $python = Start-Process python3 -ArgumentList '-m', 'http.server', $port, '--bind', '127.0.0.1', '--directory', $reps -PassThru -RedirectStandardError (Join-Path $lib 'py.err') -RedirectStandardOutput (Join-Path $lib 'py.out')
    $http = [Net.Http.HttpClient]::new()
    $pyBase = "http://127.0.0.1:$port/"
    $deadline = [DateTime]::UtcNow.AddSeconds(20)
    while ($true) {
        try { $null = $http.GetAsync($pyBase).GetAwaiter().GetResult(); break } catch { if ([DateTime]::UtcNow -gt $deadline) { throw } ; Start-Sleep -Milliseconds 100 }
    }
    $pyNames = $assets | ForEach-Object { "$($_.id).jpg" }

    # The browser asks for thumbnails six at a time (its per-host connection limit): do the same, fetch all 2,000.
    function Measure-Fetch([string[]] $urls) {
        $throttle = [Threading.SemaphoreSlim]::new(6)
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $tasks = foreach ($u in $urls) {
            $throttle.Wait()
            $t = $http.GetByteArrayAsync($u)
            $null = $t.ContinueWith([Action[Threading.Tasks.Task]] { param($x) $null = $throttle.Release() }.GetNewClosure())
            $t
        }
        [Threading.Tasks.Task]::WaitAll([Threading.Tasks.Task[]]@($tasks))
        $sw.Stop()
        if (@($tasks | Where-Object { $_.Result.Length -lt 1000 }).Count) { throw 'A thumbnail came back empty.' }
        $urls.Count / $sw.Elapsed.TotalSeconds
    }
    $oursUrls = 0..($count - 1) | ForEach-Object { "${url}rep/$_" }
    $peerUrls = $pyNames | ForEach-Object { "$pyBase$_" }
    # One warm-up pass each (JIT, file cache), then the measured pass.
    $null = Measure-Fetch $oursUrls; $null = Measure-Fetch $peerUrls
    $ours = Measure-Fetch $oursUrls
    $peer = Measure-Fetch $peerUrls
    'bench review: ours {0:F0} thumbnails/s | python-http.server {1:F0} thumbnails/s | ratio {2:F2}' -f $ours, $peer, ($ours / $peer)

    $null = $http.PostAsync("${url}cancel", [Net.Http.StringContent]::new('{}')).GetAwaiter().GetResult()
    $null = $ps.EndInvoke($handle)
}
finally {
    if ($python -and -not $python.HasExited) { $python.Kill($true) }
    if ($ps) { $ps.Dispose() }
    Remove-TestFolder $lib
}
