# Issue 13: a tag reaches a sidecar only if a person approved it, whatever the pipeline did to the objects in between.
BeforeAll {
    Import-Module $env:MEDIATAGGER_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:savedHome = $env:MEDIATAGGER_HOME
    $env:MEDIATAGGER_HOME = New-TestFolder 'approvalhome'
    $script:lib = New-TestFolder 'approval'
    $jpeg = Join-Path $script:lib 'seed.jpg'
    & ffmpeg -v error -f lavfi -i 'color=c=orange:s=32x24' -frames:v 1 -y $jpeg
    $bytes = [IO.File]::ReadAllBytes($jpeg)
    Remove-Item $jpeg
    foreach ($i in 1..12) { [IO.File]::WriteAllBytes((Join-Path $script:lib ('IMG_{0:D2}.jpg' -f $i)), $bytes) }
    Get-MediaAsset -Path $script:lib | Out-Null

    # A real review: Invoke-MediaReview -IncludeRejected in a second runspace, applied over HTTP as the page does.
    $ps = [powershell]::Create()
    try {
        $null = $ps.AddCommand('Import-Module').AddArgument($env:MEDIATAGGER_MODULE).Invoke()
        $ps.Commands.Clear()
        $null = $ps.AddScript("Get-MediaAsset -Library '$($script:lib)' -Cached | Sort-Object Name | Invoke-MediaReview -NoBrowser -IncludeRejected -Label Teddy -Timeout 120")
        $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
        $noInput = [System.Management.Automation.PSDataCollection[psobject]]::new()
        $noInput.Complete()
        $handle = $ps.BeginInvoke($noInput, $output)
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        $url = $null
        while (-not $url -and [DateTime]::UtcNow -lt $deadline) {
            $url = $ps.Streams.Information | ForEach-Object { "$($_.MessageData)" } | Select-String -Pattern 'http://\S+' | ForEach-Object { $_.Matches[0].Value }
            Start-Sleep -Milliseconds 50
        }
        if (-not $url) { throw 'the review page did not start' }
        # Approve IMG_01 and IMG_06 only.
        $null = Invoke-RestMethod -Method Post -Uri "${url}apply" -ContentType 'application/json' -Body '{"approved":[0,5],"threshold":null}'
        $null = $ps.EndInvoke($handle)
    }
    finally { $ps.Dispose() }
    $script:all = @($output)
    $script:approvedNames = 'IMG_01.jpg', 'IMG_06.jpg'

    function Get-Sidecars { @(Get-ChildItem $script:lib -Filter '*.xmp' | Sort-Object Name | ForEach-Object Name) }
}
AfterAll {
    Remove-TestFolder $script:lib
    Remove-TestFolder $env:MEDIATAGGER_HOME
    $env:MEDIATAGGER_HOME = $script:savedHome
}

Describe 'Approval survives every pipeline' {
    AfterEach {
        Get-ChildItem $script:lib -Filter '*.xmp' | Remove-Item
        Get-ChildItem $script:lib -Filter '*.csv' | Remove-Item
        Get-ChildItem $script:lib -Filter '*.clixml' | Remove-Item
    }

    It 'the review emitted all 12 decisions, 2 approved' {
        $script:all.Count | Should -Be 12
        @($script:all | Where-Object Approved).Name | Should -Be $script:approvedNames
    }

    It 'tags only the approved objects when they arrive <Name>, reporting the 10 skips once' -ForEach @(
        @{ Name = 'straight from the review'; Make = { param($all, $dir) $all } }
        @{ Name = 'through Export-Csv / Import-Csv ("False" strings)'; Make = { param($all, $dir) $all | Export-Csv "$dir/all.csv"; Import-Csv "$dir/all.csv" } }
        @{ Name = 'through Export-Clixml / Import-Clixml (deserialized objects)'; Make = { param($all, $dir) $all | Export-Clixml "$dir/all.clixml"; Import-Clixml "$dir/all.clixml" } }
        @{ Name = 'through ConvertTo-Json / ConvertFrom-Json'; Make = { param($all, $dir) $all | Select-Object Path, Approved | ConvertTo-Json | ConvertFrom-Json } }
        @{ Name = 'as hashtables'; Make = { param($all, $dir) $all | ForEach-Object { @{ Path = $_.Path; Approved = $_.Approved } } } }
        @{ Name = 'as PSCustomObject rows with FullName and "0"/"1"'; Make = { param($all, $dir) $all | ForEach-Object { [pscustomobject]@{ FullName = $_.Path; Approved = [string][int]$_.Approved } } } }
    ) {
        $inputs = @(& $Make $script:all $script:lib)
        $inputs.Count | Should -Be 12

        $out = $inputs | Set-MediaXmpTag -Tag 'Pets|Teddy' -PassThru -InformationVariable info -WarningVariable warnings -ErrorVariable errs

        $errs | Should -BeNullOrEmpty
        @($out | ForEach-Object { Split-Path $_.Path -Leaf }) | Should -Be $script:approvedNames
        Get-Sidecars | Should -Be @('IMG_01.xmp', 'IMG_06.xmp')
        foreach ($x in Get-Sidecars) { & exiftool -s3 -XMP-lr:HierarchicalSubject (Join-Path $script:lib $x) | Should -Be 'Pets|Teddy' }
        "$info" | Should -BeLike '*2 sidecars written*10 skipped (not approved in review)*'
        @($warnings).Count | Should -Be 1
        "$warnings" | Should -BeLike '10 input(s) not approved in review were skipped*'
    }

    It 'plans nothing for rejected objects with -WhatIf either' {
        $planned = & {
            $script:all | Export-Csv "$($script:lib)/w.csv"
            Import-Csv "$($script:lib)/w.csv" | Set-MediaXmpTag -Tag 'Pets|Teddy' -WhatIf -Verbose 4>&1
        } | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and "$_" -like 'Skipped*' }
        @($planned).Count | Should -Be 10
        Get-Sidecars | Should -BeNullOrEmpty
    }

    It 'still removes tags from rejected objects (cleaning up is not approving)' {
        Set-MediaXmpTag -Path (Join-Path $script:lib 'IMG_02.jpg') -Tag 'Pets|Teddy'
        $script:all | Remove-MediaXmpTag -Tag 'Pets|Teddy'
        & exiftool -s3 -XMP-lr:HierarchicalSubject (Join-Path $script:lib 'IMG_02.xmp') | Should -BeNullOrEmpty
    }
}
