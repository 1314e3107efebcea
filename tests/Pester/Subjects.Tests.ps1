# Subjects as users run them: create, teach by decisions (cmdlet and review page), rank, measure, tag; through the built module.
BeforeAll {
    Import-Module $env:MEDIATAGGER_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force

    # A library of 12 "teddy" items (vectors around axis 0) and 24 others, some of them leaning towards teddy,
    # embedded with the real store writer under the model name $Model.
    function New-SubjectLibrary {
        $lib = New-TestFolder 'subjects'
        for ($i = 0; $i -lt 36; $i++) {
            $name = if ($i -lt 12) { 'teddy' } else { 'other' }
            $path = Join-Path $lib ('photos/{0}_{1:D2}.jpg' -f $name, $i)
            New-Item -ItemType Directory -Force (Split-Path $path) | Out-Null
            [IO.File]::WriteAllText($path, 'x')
        }
        $assets = @(Get-MediaAsset -Path $lib)
        Add-SubjectVectors $lib 'toy' 8 $assets 1
        $lib
    }

    function Add-SubjectVectors([string] $Library, [string] $Model, [int] $Dim, $Assets, [int] $Seed) {
        $rng = [Random]::new($Seed)
        $store = [MediaTagger.Core.Store.EmbeddingStore]::OpenOrCreate([MediaTagger.Core.Library.MediaLibrary]::Open($Library), $Model, "$Model@test", $Dim, 'test')
        $rows = [System.Collections.Generic.List[MediaTagger.Core.Store.StoreRow]]::new()
        foreach ($a in $Assets) {
            $v = [float[]]::new($Dim)
            $index = [int]($a.Name -replace '^\D+_(\d+)\..*$', '$1')
            if ($a.Name -like 'teddy*') { $v[0] = 1; $v[1] = 0.5 * $rng.NextDouble() }
            elseif ($index % 2 -eq 0) { $v[2] = 1; $v[0] = 0.8 * $rng.NextDouble() }
            else { $v[3 + $index % ($Dim - 3)] = 1 }
            for ($d = 0; $d -lt $Dim; $d++) { $v[$d] += 0.2 * $rng.NextDouble() }
            $norm = [math]::Sqrt(($v | ForEach-Object { $_ * $_ } | Measure-Object -Sum).Sum)
            for ($d = 0; $d -lt $Dim; $d++) { $v[$d] = $v[$d] / $norm }
            $rows.Add([MediaTagger.Core.Store.StoreRow]::new($a.Id, 'stamp', $v))
        }
        $store.Append($rows)
    }

    # The simulated reviewer: a teddy is a teddy.
    # As Invoke-MediaReview emits them: each item with the person's decision.
    function Set-Truth($Items) { @($Items | ForEach-Object { [MediaTagger.Core.Review.ReviewedAsset]::Of($_, $_.Name -like 'teddy*') }) }

    function Get-Anchors([string] $Library) { @(Get-MediaAsset -Path $Library | Where-Object Name -In 'teddy_00.jpg', 'teddy_01.jpg') }
}

Describe 'New-, Get- and Remove-MediaSubject' {
    BeforeEach { $lib = New-SubjectLibrary }
    AfterEach { Remove-TestFolder $lib }

    It 'creates a subject with its profile''s tag, stored as readable JSON, and lists it' {
        $s = Get-Anchors $lib | New-MediaSubject Teddy -Profile pets
        $s.GetType().FullName | Should -Be 'MediaTagger.Core.Subjects.SubjectInfo'
        $s.Tag | Should -Be 'Pets|Teddy'
        $s.Anchors | Should -Be 2
        $json = Get-Content $s.File -Raw | ConvertFrom-Json
        $json.name | Should -Be 'Teddy'
        @($json.anchors.relativePath) | Should -Be @('photos/teddy_00.jpg', 'photos/teddy_01.jpg')
        (Get-MediaSubject -Library $lib).Name | Should -Be 'Teddy'
        (Get-MediaSubject te* -Library $lib).Name | Should -Be 'Teddy'
        (Get-MediaSubject -Library $lib | Out-String) | Should -Match 'Pets\|Teddy'
    }

    It 'refuses a second subject of the same name and a name that cannot be a tag level' {
        $null = Get-Anchors $lib | New-MediaSubject Teddy
        { Get-Anchors $lib | New-MediaSubject teddy -ErrorAction Stop } | Should -Throw -ErrorId 'MediaSubjectExists,MediaTagger.PowerShell.Cmdlets.NewMediaSubjectCommand'
        { New-MediaSubject 'Pets|Teddy' -Library $lib -ErrorAction Stop } | Should -Throw -ErrorId 'MediaSubjectNameInvalid,MediaTagger.PowerShell.Cmdlets.NewMediaSubjectCommand'
        Get-MediaSubject Rex -Library $lib -ErrorVariable e -ErrorAction SilentlyContinue
        Get-ErrorIds $e | Should -Be 'MediaSubjectNotFound'
    }

    It 'honours -WhatIf and removes only the definition' {
        $null = Get-Anchors $lib | New-MediaSubject Teddy -WhatIf
        Get-MediaSubject -Library $lib | Should -BeNullOrEmpty
        $null = Get-Anchors $lib | New-MediaSubject Teddy
        Get-MediaAsset -Path $lib | Where-Object Name -Like 'other*' | Select-Object -First 3 | Add-MediaSubjectDecision Teddy -Decision Rejected
        Remove-MediaSubject Teddy -Library $lib -WhatIf
        (Get-MediaSubject -Library $lib).Rejected | Should -Be 3
        Get-MediaSubject -Library $lib | Remove-MediaSubject -Library $lib -Confirm:$false
        Get-MediaSubject -Library $lib | Should -BeNullOrEmpty
        # The decisions stay: a new subject of that name picks them up.
        $null = Get-Anchors $lib | New-MediaSubject Teddy
        (Get-MediaSubject Teddy -Library $lib).Rejected | Should -Be 3
    }
}

Describe 'Teaching a subject' {
    BeforeEach {
        $lib = New-SubjectLibrary
        $null = Get-Anchors $lib | New-MediaSubject Teddy -Profile pets
    }
    AfterEach { Remove-TestFolder $lib }

    It 'accumulates decisions across sessions' {
        Set-Truth @(Find-MediaSubject Teddy -Next -BatchSize 6 -Library $lib) | Add-MediaSubjectDecision Teddy
        $after1 = Get-MediaSubject Teddy -Library $lib
        # A new session: the module and all its state gone.
        Remove-Module MediaTagger -Force
        Import-Module $env:MEDIATAGGER_MODULE -Force
        Set-Truth @(Find-MediaSubject Teddy -Next -BatchSize 6 -Library $lib) | Add-MediaSubjectDecision Teddy
        $after2 = Get-MediaSubject Teddy -Library $lib
        $after1.Rounds | Should -Be 1
        $after2.Rounds | Should -Be 2
        ($after2.Approved + $after2.Rejected) | Should -Be 12
        $after2.Approved | Should -BeGreaterThan $after1.Approved
    }

    It 'never shows a decided item again, and learns once both sides have decisions' {
        $seen = @{}
        foreach ($a in Get-Anchors $lib) { $seen[$a.Id] = $true }
        $rejected = @()
        for ($round = 1; $round -le 4; $round++) {
            $batch = Set-Truth @(Find-MediaSubject Teddy -Next -BatchSize 6 -Library $lib)
            $batch | Should -Not -BeNullOrEmpty
            foreach ($m in $batch) {
                $seen.ContainsKey($m.Id) | Should -BeFalse -Because "$($m.Name) was decided before round $round"
                $seen[$m.Id] = $true
            }
            $rejected += @($batch | Where-Object { -not $_.Approved } | ForEach-Object Id)
            $batch | Add-MediaSubjectDecision Teddy
        }
        $rejected | Should -Not -BeNullOrEmpty
        $rest = @(Find-MediaSubject Teddy -K 1000 -Library $lib)
        $rest.Count | Should -Be (36 - $seen.Count)
        @($rest | Where-Object Id -In $rejected) | Should -BeNullOrEmpty
        (Measure-MediaSubject Teddy -Library $lib).Mode | Should -Be 'Classifier'
    }

    It 'gives probabilities in [0,1] that fall with the rank, and estimates precision and recall' {
        for ($round = 1; $round -le 3; $round++) { Set-Truth @(Find-MediaSubject Teddy -Next -BatchSize 6 -Library $lib) | Add-MediaSubjectDecision Teddy }
        $all = @(Find-MediaSubject Teddy -K 1000 -IncludeDecided -Library $lib)
        $all.Count | Should -Be 36
        foreach ($m in $all) { $m.Score | Should -BeGreaterOrEqual 0; $m.Score | Should -BeLessOrEqual 1 }
        for ($i = 1; $i -lt $all.Count; $i++) { $all[$i].Score | Should -BeLessOrEqual $all[$i - 1].Score }
        $all[0].Name | Should -BeLike 'teddy*'
        $status = Measure-MediaSubject Teddy -Library $lib -Threshold 0.5
        $status.GetType().FullName | Should -Be 'MediaTagger.Core.Subjects.SubjectStatus'
        $status.Precision | Should -BeGreaterThan 0.5
        $status.Recall | Should -BeGreaterThan 0.5
        $status.Recall | Should -BeLessOrEqual 1
        (Measure-MediaSubject Teddy -Library $lib -Threshold 0.99).Recall | Should -BeLessOrEqual $status.Recall
        ($status | Out-String) | Should -Match 'precision'
    }

    It 'keeps every decision when the model changes, and retrains on the new one' {
        for ($round = 1; $round -le 3; $round++) { Set-Truth @(Find-MediaSubject Teddy -Next -BatchSize 6 -Library $lib -Model toy) | Add-MediaSubjectDecision Teddy }
        Add-SubjectVectors $lib 'toy2' 12 @(Get-MediaAsset -Path $lib) 7
        $before = Get-MediaSubject Teddy -Library $lib
        $status = Measure-MediaSubject Teddy -Library $lib -Model toy2
        $status.Model | Should -Be 'toy2'
        $status.Mode | Should -Be 'Classifier'
        $status.Approved | Should -Be $before.Approved
        $status.Rejected | Should -Be $before.Rejected
        $status.Unembedded | Should -Be 0
        $next = @(Find-MediaSubject Teddy -K 3 -Library $lib -Model toy2)
        $next | ForEach-Object { $_.Model | Should -Be 'toy2' }
        (Get-MediaSubject Teddy -Library $lib).Approved | Should -Be $before.Approved
    }

    It 'tags exactly the approved items (anchors included) and nothing with -WhatIf' {
        $batch = Set-Truth @(Find-MediaSubject Teddy -Next -BatchSize 10 -Library $lib)
        # The person changes their mind about one approval later: the latest decision counts.
        $changed = $batch | Where-Object Approved | Select-Object -First 1
        $batch | Add-MediaSubjectDecision Teddy
        $changed | Add-MediaSubjectDecision Teddy -Decision Rejected
        $expected = @((Get-Anchors $lib).Name) + @($batch | Where-Object { $_.Approved -and $_.Id -ne $changed.Id } | ForEach-Object Name) | Sort-Object

        Set-MediaXmpTag -Subject Teddy -Library $lib -NoAutoTag -WhatIf
        @(Get-ChildItem $lib -Recurse -Filter *.xmp) | Should -BeNullOrEmpty
        $written = @(Set-MediaXmpTag -Subject Teddy -Library $lib -NoAutoTag -PassThru)
        @($written | ForEach-Object { Split-Path $_.Path -Leaf } | Sort-Object) | Should -Be $expected
        $tagged = @(Get-ChildItem $lib -Recurse -Filter *.xmp | ForEach-Object { $_.BaseName + '.jpg' } | Sort-Object)
        $tagged | Should -Be $expected
        foreach ($w in $written) { $w.Tags | Should -Contain 'Pets|Teddy' }
    }
}

Describe 'Invoke-MediaReview -Subject' {
    BeforeEach {
        $lib = New-SubjectLibrary
        $null = Get-Anchors $lib | New-MediaSubject Teddy
    }
    AfterEach { Remove-TestFolder $lib }

    It 'shows the next round with nothing ticked, records the answers and reports the round' {
        $ps = [powershell]::Create()
        $null = $ps.AddCommand('Import-Module').AddArgument($env:MEDIATAGGER_MODULE).Invoke()
        $ps.Commands.Clear()
        $null = $ps.AddCommand('Invoke-MediaReview').AddParameter('Subject', 'Teddy').AddParameter('Library', $lib).AddParameter('BatchSize', 8).AddParameter('NoBrowser').AddParameter('Timeout', 120).AddParameter('IncludeRejected')
        $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
        $noInput = [System.Management.Automation.PSDataCollection[psobject]]::new()
        $noInput.Complete()
        $handle = $ps.BeginInvoke($noInput, $output)
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            $url = $null
            while (-not $url -and [DateTime]::UtcNow -lt $deadline) {
                $url = $ps.Streams.Information | ForEach-Object { "$($_.MessageData)" } | Select-String -Pattern 'http://\S+' | ForEach-Object { $_.Matches[0].Value }
                Start-Sleep -Milliseconds 50
            }
            $url | Should -Not -BeNullOrEmpty
            $page = Invoke-RestMethod "${url}items"
            $page.items.Count | Should -Be 8
            $page.label | Should -Be 'Teddy'
            $page.title | Should -Match 'Teddy: round 1'
            # Nothing starts ticked: no preselect was asked for.
            $page.preselect | Should -BeNullOrEmpty
            $approve = @($page.items | Where-Object name -Like 'teddy*' | ForEach-Object i)
            $null = Invoke-RestMethod "${url}apply" -Method Post -ContentType 'application/json' -Body (@{ approved = $approve } | ConvertTo-Json -Compress)
            $null = $ps.EndInvoke($handle)
        }
        finally {
            if ($ps.InvocationStateInfo.State -eq 'Running') { $ps.Stop() }
        }
        $output.Count | Should -Be 8
        @($output | Where-Object Approved).Count | Should -Be $approve.Count
        ($ps.Streams.Information | ForEach-Object { "$($_.MessageData)" }) -join "`n" | Should -Match "round 1: $($approve.Count) of 8 approved"
        $ps.Dispose()
        $s = Get-MediaSubject Teddy -Library $lib
        $s.Approved | Should -Be $approve.Count
        $s.Rejected | Should -Be (8 - $approve.Count)
        # The next round never shows them again.
        $next = @(Find-MediaSubject Teddy -Next -BatchSize 8 -Library $lib)
        @($next | Where-Object Id -In @($output | ForEach-Object Id)) | Should -BeNullOrEmpty
        # The round's model and what its scores measured (similarity: the subject had not learned yet) reach the tags' provenance.
        $one = @($output | Where-Object Approved)[0]
        $null = Set-MediaXmpTag -Subject Teddy -Library $lib -NoAutoTag
        $p = (& exiftool -j -struct ([IO.Path]::ChangeExtension($one.Path, '.xmp')) | ConvertFrom-Json)[0].Provenance
        $p.Model | Should -Be 'toy'
        $p.ScoreKind | Should -Be 'similarity'
        [double]$p.Score | Should -Be ([math]::Round($one.Score, 6))
    }
}

Describe 'Provenance of subject tags (mediatagger:Provenance), with exiftool as the judge' {
    BeforeAll {
        # exiftool's reading of a sidecar: the provenance entries (structured) and every other XMP tag it reports.
        function Read-Sidecar([string] $Path) {
            $json = (& exiftool -j -G1 -a -struct $Path | ConvertFrom-Json)[0]
            $other = [ordered]@{}
            foreach ($p in $json.PSObject.Properties) {
                if ($p.Name -like 'XMP-*' -and $p.Name -ne 'XMP-mediatagger:Provenance') { $other[$p.Name] = ($p.Value | ConvertTo-Json -Compress -Depth 5) }
            }
            [pscustomobject]@{ Provenance = @($json.'XMP-mediatagger:Provenance' | Where-Object { $_ }); Other = $other; OtherJson = $other | ConvertTo-Json -Compress }
        }
        function Get-ValidationWarnings([string] $Path) { @(& exiftool -validate -warning -a -s -s -s $Path | Where-Object { $_ -and $_ -ne 'OK' }) }
        function Sidecar-Of($Asset) { [IO.Path]::ChangeExtension($Asset.Path, '.xmp') }
        $script:Foreign = @'
<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:lr="http://ns.adobe.com/lightroom/1.0/" xmlns:mediatagger="http://ns.mediatagger.org/1.0/">
   <xmp:Rating>4</xmp:Rating>
   <lr:hierarchicalSubject><rdf:Bag><rdf:li>Pets|Rex</rdf:li></rdf:Bag></lr:hierarchicalSubject>
   <mediatagger:Provenance><rdf:Bag>
    <rdf:li rdf:parseType="Resource"><mediatagger:Tag>Pets|Rex</mediatagger:Tag><mediatagger:Subject>Rex</mediatagger:Subject><mediatagger:Score>0.7</mediatagger:Score></rdf:li>
   </rdf:Bag></mediatagger:Provenance>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>
'@
    }
    BeforeEach {
        $lib = New-SubjectLibrary
        $null = Get-Anchors $lib | New-MediaSubject Teddy -Profile pets
        $batch = Set-Truth @(Find-MediaSubject Teddy -Next -BatchSize 10 -Library $lib)
        $batch | Add-MediaSubjectDecision Teddy
        $approved = @($batch | Where-Object Approved)
    }
    AfterEach { Remove-TestFolder $lib }

    It 'records subject, model, score and decision time beside each tag, merged with foreign provenance, valid, undoable' {
        $foreignAsset = $approved[0]
        [IO.File]::WriteAllText((Sidecar-Of $foreignAsset), $script:Foreign)
        $foreignBytes = [IO.File]::ReadAllBytes((Sidecar-Of $foreignAsset))
        # The same tags written without provenance, to show provenance changes nothing other tools read.
        $plain = Join-Path $lib 'plain'
        $null = New-Item -ItemType Directory $plain
        Copy-Item $approved[1].Path $plain
        $null = Set-MediaXmpTag -Path (Join-Path $plain $approved[1].Name) -Tag 'Pets|Teddy' -NoAutoTag

        $null = Set-MediaXmpTag -Subject Teddy -Library $lib -NoAutoTag
        $decided = @(Get-ChildItem (Join-Path $lib '.mediatagger/data/reviews') -Filter *.json)[-1].Name
        foreach ($a in $approved) {
            $read = Read-Sidecar (Sidecar-Of $a)
            $teddy = @($read.Provenance | Where-Object Tag -EQ 'Pets|Teddy')
            $teddy.Count | Should -Be 1
            $teddy[0].Subject | Should -Be 'Teddy'
            $teddy[0].Source | Should -Be 'review'
            $teddy[0].Model | Should -Be 'toy'
            [double]$teddy[0].Score | Should -Be ([math]::Round($a.Score, 6))
            $teddy[0].Decided | Should -Match '^\d{4}:\d\d:\d\d \d\d:\d\d:\d\dZ$'
            $teddy[0].DecidedBy | Should -Be ([Environment]::UserName)
            $teddy[0].Review | Should -Be $decided
            Get-ValidationWarnings (Sidecar-Of $a) | Should -BeNullOrEmpty
        }
        # Digikam/Lightroom-visible tags are exactly those of a write without provenance.
        (Read-Sidecar (Sidecar-Of $approved[1])).OtherJson | Should -BeExactly (Read-Sidecar ([IO.Path]::ChangeExtension((Join-Path $plain $approved[1].Name), '.xmp'))).OtherJson -Because 'provenance must not change what other tools read'
        # An anchor's tag says it came from an anchor.
        ((Read-Sidecar (Join-Path $lib 'photos/teddy_00.xmp')).Provenance | Where-Object Tag -EQ 'Pets|Teddy').Source | Should -Be 'anchor'
        # Foreign provenance and properties stay; nothing is duplicated, and a second run changes nothing.
        $merged = Read-Sidecar (Sidecar-Of $foreignAsset)
        @($merged.Provenance.Tag | Sort-Object) | Should -Be @('Pets|Rex', 'Pets|Teddy')
        $merged.Other['XMP-xmp:Rating'] | Should -Be '4'
        $before = Get-ChildItem $lib -Recurse -Filter *.xmp | ForEach-Object { "$($_.FullName) $((Get-FileHash $_.FullName).Hash)" }
        $null = Set-MediaXmpTag -Subject Teddy -Library $lib -NoAutoTag
        Get-ChildItem $lib -Recurse -Filter *.xmp | ForEach-Object { "$($_.FullName) $((Get-FileHash $_.FullName).Hash)" } | Should -Be $before

        # Removing the tag removes its provenance and keeps Rex's; undo puts it back.
        Remove-MediaXmpTag -Path $foreignAsset.Path -Tag 'Pets|Teddy'
        @((Read-Sidecar (Sidecar-Of $foreignAsset)).Provenance.Tag) | Should -Be @('Pets|Rex')
        Undo-MediaXmpTag
        @((Read-Sidecar (Sidecar-Of $foreignAsset)).Provenance.Tag | Sort-Object) | Should -Be @('Pets|Rex', 'Pets|Teddy')
        # Undoing the subject's write restores the foreign sidecar exactly as it was (its provenance included).
        Undo-MediaXmpTag | Out-Null
        $rex = Read-Sidecar (Sidecar-Of $foreignAsset)
        @($rex.Provenance.Tag) | Should -Be @('Pets|Rex')
        $rex.Other['XMP-lr:HierarchicalSubject'] | Should -Be '"Pets|Rex"'
        Test-Path (Join-Path $lib 'photos/teddy_00.xmp') | Should -BeFalse
    }

    It 'writes no provenance for a subject made with -NoProvenance or a profile that turns it off' {
        $null = Get-Anchors $lib | New-MediaSubject Bear -Profile pets -NoProvenance
        $null = Set-MediaXmpTag -Subject Bear -Library $lib -NoAutoTag
        $off = Join-Path $lib 'quiet.json'
        @{ tagTemplate = 'Pets|{label}'; provenance = $false } | ConvertTo-Json | Set-Content $off
        $null = Set-MediaXmpTag -Subject Teddy -Library $lib -Profile $off -NoAutoTag
        $read = Read-Sidecar (Join-Path $lib 'photos/teddy_00.xmp')
        $read.Other['XMP-lr:HierarchicalSubject'] | Should -Match 'Pets\|Bear'
        $read.Other['XMP-lr:HierarchicalSubject'] | Should -Match 'Pets\|Teddy'
        $read.Provenance | Should -BeNullOrEmpty
    }

    It 'reports a sidecar whose provenance is not a list of entries as one error each, leaves it untouched and tags the rest' {
        # Not a list; a list of free text (a struct of ours beside them would be a list exiftool cannot read).
        $hostile = @(
            $script:Foreign -replace '(?s)<mediatagger:Provenance>.*</mediatagger:Provenance>', '<mediatagger:Provenance>not a list</mediatagger:Provenance>'
            $script:Foreign -replace '(?s)<rdf:li rdf:parseType="Resource">.*?</rdf:li>', '<rdf:li>free text</rdf:li>'
        )
        $bytes = @{}
        for ($i = 0; $i -lt 2; $i++) {
            [IO.File]::WriteAllText((Sidecar-Of $approved[$i]), $hostile[$i])
            $bytes[$i] = [IO.File]::ReadAllBytes((Sidecar-Of $approved[$i]))
        }

        $written = @(Set-MediaXmpTag -Subject Teddy -Library $lib -NoAutoTag -PassThru -ErrorVariable e -ErrorAction SilentlyContinue)
        Get-ErrorIds $e | Should -Be @('MediaXmpProvenanceUnsupported', 'MediaXmpProvenanceUnsupported')
        for ($i = 0; $i -lt 2; $i++) { [IO.File]::ReadAllBytes((Sidecar-Of $approved[$i])) | Should -Be $bytes[$i] }
        # The batch went on: every other approved item and both anchors are tagged, with provenance.
        $written.Count | Should -Be ($approved.Count + 2 - 2)
        foreach ($w in $written) {
            ((Read-Sidecar $w.Sidecar).Provenance | Where-Object Tag -EQ 'Pets|Teddy').Subject | Should -Be 'Teddy'
        }
        # Removing the tag from such a sidecar still works: only entries of ours are ever removed.
        Remove-MediaXmpTag -Path $approved[1].Path -Tag 'Pets|Rex' -ErrorAction Stop
        (& exiftool -j -struct (Sidecar-Of $approved[1]) | ConvertFrom-Json)[0].Provenance | Should -Be 'free text'
    }
}
