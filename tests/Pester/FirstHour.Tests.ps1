# Issue 12, "the first hour": what a new user meets first, through the built module.
BeforeAll {
    Import-Module $env:MEDIATAGGER_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force

    # A library folder holding copies of real photos named a.jpg, b.jpg, ... (not scanned yet).
    function New-PhotoFolder([string] $Name = 'fh', [int] $Count = 3) {
        $dir = New-TestFolder $Name
        $i = 0
        foreach ($p in Get-TestPhoto -Count $Count -Format Jpeg) { Copy-Item $p (Join-Path $dir "$([char](97 + $i++)).jpg") }
        $dir
    }

    # True when a value is what a CSV cell or a JSON scalar can show readably.
    function Test-Flat($Value) {
        $null -eq $Value -or $Value -is [string] -or $Value -is [ValueType]
    }
}

Describe 'Assets are immutable facts' {
    BeforeAll {
        $lib = New-PhotoFolder 'fh-immutable'
        $scanned = @(Get-MediaAsset -Path $lib)
        $reps = @($scanned | New-MediaRep)
    }
    AfterAll { Remove-TestFolder $lib }

    It 'hands out catalog records that no command or script can change' {
        $cached = @(Get-MediaAsset -Library $lib -Cached)
        foreach ($property in 'Path', 'RelativePath', 'Id', 'Length', 'LibraryRoot', 'StorePath') {
            { $cached[0].$property = $null } | Should -Throw -Because "$property is a catalog fact"
        }
        { $reps[0].RepPath = 'x' } | Should -Throw
        { $reps[0].GetRep().Width = 1 } | Should -Throw
        (Get-MediaAsset -Library $lib -Cached)[0].Path | Should -Be (Join-Path $lib 'a.jpg')
    }

    It 'keeps each stage''s results in its own objects: a scan state on scan output, a rep on New-MediaRep output, nothing on the catalog' {
        $scanned[0].ScanState | Should -Be 'New'
        $reps[0].RepPath | Should -Exist
        $cached = (Get-MediaAsset -Library $lib -Cached)[0]
        $cached.PSObject.Properties.Name | Should -Not -Contain 'ScanState'
        $cached.PSObject.Properties.Name | Should -Not -Contain 'Approved'
        $cached.PSObject.Properties.Name | Should -Not -Contain 'Rep'
        # The next stage still knows the rep: a second run reuses it.
        Get-MediaAsset -Library $lib -Cached | New-MediaRep -InformationVariable info | Out-Null
        "$info" | Should -Match '3 assets: 0 rendered, 3 up to date'
    }

    It 'exports flat, readable columns (Export-Csv, Export-Clixml/Import-Clixml, ConvertTo-Json)' {
        $csv = Join-Path $lib 'out.csv'
        $xml = Join-Path $lib 'out.xml'
        $cached = @(Get-MediaAsset -Library $lib -Cached)
        foreach ($objects in $scanned, $reps, $cached) {
            $objects | Export-Csv -LiteralPath $csv
            $text = Get-Content -LiteralPath $csv -Raw
            $text | Should -Not -Match 'MediaTagger\.Core\.'
            $text | Should -Not -Match 'System\.'
            $text | Should -Not -Match '`1'
            $rows = @(Import-Csv -LiteralPath $csv)
            $rows.Count | Should -Be 3
            $rows[0].Path | Should -Be $objects[0].Path

            $objects | Export-Clixml -LiteralPath $xml
            foreach ($o in Import-Clixml -LiteralPath $xml) {
                foreach ($p in $o.PSObject.Properties) { Test-Flat $p.Value | Should -BeTrue -Because "$($p.Name) = $($p.Value)" }
            }
            foreach ($o in ($objects | ConvertTo-Json -Depth 5 | ConvertFrom-Json)) {
                foreach ($p in $o.PSObject.Properties) { Test-Flat $p.Value | Should -BeTrue -Because "$($p.Name) = $($p.Value)" }
            }
        }
        $reps[0].PSObject.Properties.Name | Should -Contain 'RepWidth'
        (Import-Csv -LiteralPath $csv)[0].PSObject.Properties.Name | Should -Not -Contain 'RepFramePaths'
    }

    It 'a review decision does not change the objects a later Get-MediaAsset returns' {
        # The review runs in a second runspace of this process: the same loaded module, the same catalog cache.
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddCommand('Import-Module').AddArgument($env:MEDIATAGGER_MODULE).Invoke()
            $ps.Commands.Clear()
            $null = $ps.AddScript("Get-MediaAsset -Library '$lib' -Cached | Invoke-MediaReview -NoBrowser -IncludeRejected -Timeout 60")
            $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
            $noInput = [System.Management.Automation.PSDataCollection[psobject]]::new()
            $noInput.Complete()
            $handle = $ps.BeginInvoke($noInput, $output)
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            $url = $null
            while (-not $url -and [DateTime]::UtcNow -lt $deadline) {
                $url = $ps.Streams.Information | ForEach-Object { "$($_.MessageData)" } | Select-String -Pattern 'http://\S+' | ForEach-Object { $_.Matches[0].Value }
                Start-Sleep -Milliseconds 50
            }
            $url | Should -Not -BeNullOrEmpty
            # Approve a.jpg and c.jpg, reject b.jpg (items keep the order they came in).
            $null = Invoke-RestMethod -Method Post -Uri "${url}apply" -ContentType 'application/json' -Body '{"approved":[0,2]}'
            $null = $ps.EndInvoke($handle)
        }
        finally { $ps.Dispose() }

        $decided = @($output)
        ($decided | Where-Object Name -EQ 'b.jpg').Approved | Should -BeFalse
        ($decided | Where-Object Name -EQ 'a.jpg').Approved | Should -BeTrue

        $fresh = Get-MediaAsset -Library $lib -Cached | Where-Object Name -EQ 'b.jpg'
        $fresh.PSObject.Properties['Approved'] | Should -BeNullOrEmpty
        # A later tagging run given fresh assets tags b.jpg: the rejection lives in the review record, not in the object.
        $tagged = @(Get-MediaAsset -Library $lib -Cached | Set-MediaXmpTag -Tag 'Pets|Teddy' -PassThru)
        $tagged.Count | Should -Be 3
    }
}
