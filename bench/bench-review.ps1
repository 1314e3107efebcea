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
        & convert "$s[0]" -resize 384x384 -quality 85 $out 2>$null   # hubble_deep_field.jpg has a malformed XMP packet ImageMagick warns about
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
    # The rep of each asset is known from the rep index (data/reps.json, owned by RepIndex), not from the file name.
    $recorded = [Collections.Generic.List[ValueTuple[string, MediaTagger.Core.Reps.RepInfo]]]::new()
    foreach ($a in $assets) { $recorded.Add([ValueTuple[string, MediaTagger.Core.Reps.RepInfo]]::new($a.id, [MediaTagger.Core.Reps.RepInfo]::new())) }
    [MediaTagger.Core.Reps.RepIndex]::Record([MediaTagger.Core.Library.MediaLibrary]::Open($lib), $recorded, [Threading.CancellationToken]::None)
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
    # http.server as `python3 -m http.server` runs it, with a listen backlog that takes six connections at once.
    $serve = Join-Path $lib 'serve.py'
    Set-Content $serve @'
import functools, http.server, sys
http.server.ThreadingHTTPServer.request_queue_size = 128
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[2])
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), handler).serve_forever()
'@
    $python = Start-Process python3 -ArgumentList $serve, $port, $reps -PassThru -RedirectStandardError (Join-Path $lib 'py.err') -RedirectStandardOutput (Join-Path $lib 'py.out')
    $http = [Net.Http.HttpClient]::new()
    $pyBase = "http://127.0.0.1:$port/"
    $deadline = [DateTime]::UtcNow.AddSeconds(20)
    while ($true) {
        try { $null = $http.GetAsync($pyBase).GetAwaiter().GetResult(); break } catch { if ([DateTime]::UtcNow -gt $deadline) { throw } ; Start-Sleep -Milliseconds 100 }
    }
    $pyNames = $assets | ForEach-Object { "$($_.id).jpg" }

    # The browser asks for thumbnails six at a time (its per-host connection limit): do the same, fetch all 2,000.
    # A request the peer drops (http.server under a burst of short connections now and then does) is asked again,
    # inside the measured time.
    function Measure-Fetch([string[]] $urls) {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        for ($i = 0; $i -lt $urls.Count; $i += 6) {
            $slice = @($urls[$i..([Math]::Min($i + 5, $urls.Count - 1))])
            $batch = @($slice | ForEach-Object { $http.GetByteArrayAsync($_) })
            try { [Threading.Tasks.Task]::WaitAll([Threading.Tasks.Task[]]$batch) } catch { }
            for ($j = 0; $j -lt $batch.Count; $j++) {
                $bytes = if ($batch[$j].IsFaulted) { $script:retries++; $http.GetByteArrayAsync($slice[$j]).GetAwaiter().GetResult() } else { $batch[$j].Result }
                if ($bytes.Length -lt 1000) { throw 'A thumbnail came back empty.' }
            }
        }
        $sw.Stop()
        $urls.Count / $sw.Elapsed.TotalSeconds
    }
    $oursUrls = 0..($count - 1) | ForEach-Object { "${url}rep/$_" }
    $peerUrls = $pyNames | ForEach-Object { "$pyBase$_" }
    # One warm-up pass each (JIT, file cache), then the measured pass.
    $null = Measure-Fetch $oursUrls; $null = Measure-Fetch $peerUrls
    $script:retries = 0
    $ours = Measure-Fetch $oursUrls
    $oursRetries = $script:retries
    $peer = Measure-Fetch $peerUrls
    Write-Host "    requests asked again: ours $oursRetries, peer $($script:retries - $oursRetries)"
    [string]::Format([cultureinfo]::InvariantCulture, 'bench review: ours {0:F0} thumbnails/s | python-http.server {1:F0} thumbnails/s | ratio {2:F2}', $ours, $peer, $ours / $peer)

    $null = $http.PostAsync("${url}cancel", [Net.Http.StringContent]::new('{}')).GetAwaiter().GetResult()
    $null = $ps.EndInvoke($handle)
}
finally {
    if ($python -and -not $python.HasExited) { $python.Kill($true) }
    if ($ps) { $ps.Dispose() }
    Remove-TestFolder $lib
}
