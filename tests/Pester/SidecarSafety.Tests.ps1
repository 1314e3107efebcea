# Issue 13, sidecar safety and "only media get tags": each case through the built module, exiftool judging the sidecars.
BeforeAll {
    Import-Module $env:MEDIATAGGER_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force

    $script:savedHome = $env:MEDIATAGGER_HOME
    $env:MEDIATAGGER_HOME = New-TestFolder 'safehome'
    $script:fixtures = New-TestFolder 'safefix'
    $script:jpeg = Join-Path $script:fixtures 'tiny.jpg'
    & ffmpeg -v error -f lavfi -i 'color=c=green:s=32x24' -frames:v 1 -y $script:jpeg
    if (-not (Test-Path $script:jpeg)) { throw 'ffmpeg could not make the test JPEG' }

    function New-Photo([string] $Path) {
        New-Item -ItemType Directory -Force (Split-Path $Path) | Out-Null
        Copy-Item $script:jpeg $Path
        $Path
    }
    function Get-TagValues([string] $Path, [string] $Property) {
        $json = & exiftool -j -G1 -a -struct $Path | ConvertFrom-Json
        @($json[0].$Property | Where-Object { $null -ne $_ })
    }
    function Test-ValidXmp([string] $Path) {
        $j = & exiftool -j -validate -warning -error $Path 2>$null | ConvertFrom-Json
        ($j[0].Validate -eq '0 0 0' -or $j[0].Validate -eq 'OK') -and -not $j[0].Error
    }
    function Write-Utf8([string] $Path, [string] $Text) { [IO.File]::WriteAllText($Path, $Text, [Text.UTF8Encoding]::new($false)) }

    $script:foodSidecar = @'
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:lr="http://ns.adobe.com/lightroom/1.0/" xmp:Rating="4">
   <dc:subject><rdf:Bag><rdf:li>Food</rdf:li><rdf:li>Fruit</rdf:li><rdf:li>Apple</rdf:li></rdf:Bag></dc:subject>
   <lr:hierarchicalSubject><rdf:Bag><rdf:li>Food|Fruit</rdf:li><rdf:li>Apple</rdf:li></rdf:Bag></lr:hierarchicalSubject>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
'@
}
AfterAll {
    Remove-TestFolder $env:MEDIATAGGER_HOME
    $env:MEDIATAGGER_HOME = $script:savedHome
    Remove-TestFolder $script:fixtures
}

Describe 'Hostile sidecars' {
    BeforeEach { $dir = New-TestFolder 'hostile' }
    AfterEach { Remove-TestFolder $dir }

    It 'reports a <Name> sidecar as one MediaXmpSidecarUnreadable, leaves it untouched and tags the rest' -ForEach @(
        @{ Name = 'random-bytes'; Prefix = @() }
        @{ Name = 'UTF-16 LE BOM + junk'; Prefix = @(0xFF, 0xFE) }
        @{ Name = 'UTF-16 BE BOM + junk'; Prefix = @(0xFE, 0xFF) }
        @{ Name = 'UTF-32 BE BOM + junk'; Prefix = @(0x00, 0x00, 0xFE, 0xFF) }
        @{ Name = 'UTF-32 LE BOM + junk'; Prefix = @(0xFF, 0xFE, 0x00, 0x00) }
        @{ Name = 'NUL bytes'; Prefix = @(0, 0, 0, 0) }
    ) {
        $bad = New-Photo "$dir/bad.jpg"
        $goods = 1..3 | ForEach-Object { New-Photo "$dir/good$_.jpg" }
        $rng = [Random]::new(13)
        $junk = [byte[]]::new(300); $rng.NextBytes($junk)
        [IO.File]::WriteAllBytes("$dir/bad.xmp", [byte[]]($Prefix + $junk))
        $hash = (Get-FileHash "$dir/bad.xmp").Hash

        Set-MediaXmpTag -Path (@($bad) + $goods) -Tag 'Dogs|Teddy' -ErrorVariable errs -ErrorAction SilentlyContinue

        Get-ErrorIds $errs | Should -Be 'MediaXmpSidecarUnreadable'
        $errs[0].TargetObject | Should -Be "$dir/bad.xmp"
        (Get-FileHash "$dir/bad.xmp").Hash | Should -Be $hash
        foreach ($g in $goods) { Get-TagValues ($g -replace '\.jpg$', '.xmp') 'XMP-lr:HierarchicalSubject' | Should -Be 'Dogs|Teddy' }
        Get-MediaXmpTag -Path $bad -SidecarOnly -ErrorVariable readErrs -ErrorAction SilentlyContinue | Out-Null
        Get-ErrorIds $readErrs | Should -Be 'MediaXmpSidecarUnreadable'
    }

    It 'reports a named pipe (FIFO) sidecar as one error without blocking, and tags the rest' -Skip:(-not $IsLinux) {
        $fifo = New-Photo "$dir/fifo.jpg"
        $good = New-Photo "$dir/good.jpg"
        & mkfifo "$dir/fifo.xmp"
        Set-MediaXmpTag -Path $fifo, $good -Tag 'Dogs|Teddy' -ErrorVariable errs -ErrorAction SilentlyContinue
        Get-ErrorIds $errs | Should -Be 'MediaNotRegularFile'
        & test -p "$dir/fifo.xmp"; $LASTEXITCODE | Should -Be 0 -Because 'the FIFO is left as it was'
        Get-TagValues "$dir/good.xmp" 'XMP-lr:HierarchicalSubject' | Should -Be 'Dogs|Teddy'
    }

    It 'reads a well-formed <Name> sidecar (XMP allows it) and merges into it' -ForEach @(
        @{ Name = 'UTF-16 LE'; Encoding = [Text.UnicodeEncoding]::new($false, $true) }
        @{ Name = 'UTF-16 BE'; Encoding = [Text.UnicodeEncoding]::new($true, $true) }
        @{ Name = 'UTF-32 BE'; Encoding = [Text.UTF32Encoding]::new($true, $true) }
    ) {
        $photo = New-Photo "$dir/u.jpg"
        [IO.File]::WriteAllBytes("$dir/u.xmp", [byte[]]($Encoding.GetPreamble() + $Encoding.GetBytes($script:foodSidecar)))
        (Get-MediaXmpTag -Path $photo -SidecarOnly).Tags | Should -Be @('Food|Fruit', 'Apple')
        Set-MediaXmpTag -Path $photo -Tag 'Dogs|Teddy'
        Get-TagValues "$dir/u.xmp" 'XMP-lr:HierarchicalSubject' | Should -Be @('Food|Fruit', 'Apple', 'Dogs|Teddy')
        Get-TagValues "$dir/u.xmp" 'XMP-xmp:Rating' | Should -Be 4
        Test-ValidXmp "$dir/u.xmp" | Should -BeTrue
    }
}

Describe 'Tag text an XMP file cannot hold' {
    BeforeAll { $dir = New-TestFolder 'chars' }
    AfterAll { Remove-TestFolder $dir }

    It 'refuses <Name> with MediaXmpTagCharacterInvalid naming <Code>, writing nothing' -ForEach @(
        @{ Name = 'a control character'; Text = "a$([char]1)b"; Code = 'U+0001' }
        @{ Name = 'NUL'; Text = "a$([char]0)b"; Code = 'U+0000' }
        @{ Name = 'escape'; Text = "Dogs|T$([char]0x1B)ddy"; Code = 'U+001B' }
        @{ Name = 'U+FFFF'; Text = "a$([char]0xFFFF)"; Code = 'U+FFFF' }
        @{ Name = 'U+FFFE'; Text = "$([char]0xFFFE)a"; Code = 'U+FFFE' }
        @{ Name = 'a lone high surrogate'; Text = "a$([char]0xD800)b"; Code = 'U+D800' }
        @{ Name = 'a lone low surrogate'; Text = "a$([char]0xDC00)"; Code = 'U+DC00' }
        @{ Name = 'a newline'; Text = "two`nlines"; Code = 'U+000A' }
    ) {
        $photo = New-Photo "$dir/c.jpg"
        { Set-MediaXmpTag -Path $photo -Tag $Text -ErrorAction Stop } | Should -Throw -ErrorId 'MediaXmpTagCharacterInvalid,*' -ExpectedMessage "*$Code*"
        { Set-MediaXmpTag -Path $photo -Label $Text -ErrorAction Stop } | Should -Throw -ErrorId 'MediaXmpTagCharacterInvalid,*'
        Test-Path "$dir/c.xmp" | Should -BeFalse
    }

    It 'keeps characters outside the BMP (surrogate pairs) exactly' {
        $photo = New-Photo "$dir/emoji.jpg"
        $tag = "Pets|Teddy $([char]::ConvertFromUtf32(0x1F436))"
        Set-MediaXmpTag -Path $photo -Tag $tag
        Get-TagValues "$dir/emoji.xmp" 'XMP-lr:HierarchicalSubject' | Should -Be $tag
        Test-ValidXmp "$dir/emoji.xmp" | Should -BeTrue
    }
}

Describe 'Symbolic-link sidecars' -Skip:$IsWindows {
    BeforeEach { $dir = New-TestFolder 'link' }
    AfterEach { Remove-TestFolder $dir }

    It 'writes through a link to a regular file: the link stays, the target gets the tags, undo restores the target' {
        $photo = New-Photo "$dir/photos/a.jpg"
        New-Item -ItemType Directory "$dir/sidecars" | Out-Null
        Write-Utf8 "$dir/sidecars/a.xmp" $script:foodSidecar
        New-Item -ItemType SymbolicLink -Path "$dir/photos/a.xmp" -Target "$dir/sidecars/a.xmp" | Out-Null

        Set-MediaXmpTag -Path $photo -Tag 'Dogs|Teddy'

        (Get-Item "$dir/photos/a.xmp").LinkType | Should -Be 'SymbolicLink'
        (Get-Item "$dir/photos/a.xmp").LinkTarget | Should -Be "$dir/sidecars/a.xmp"
        Get-TagValues "$dir/sidecars/a.xmp" 'XMP-lr:HierarchicalSubject' | Should -Be @('Food|Fruit', 'Apple', 'Dogs|Teddy')
        @(Get-ChildItem "$dir/sidecars", "$dir/photos" -Force -Filter '.*.tmp').Count | Should -Be 0

        Undo-MediaXmpTag
        (Get-Item "$dir/photos/a.xmp").LinkType | Should -Be 'SymbolicLink'
        Get-TagValues "$dir/sidecars/a.xmp" 'XMP-lr:HierarchicalSubject' | Should -Be @('Food|Fruit', 'Apple')
    }

    It 'refuses a link to <Name> with a clear error, leaving the link as it was' -ForEach @(
        @{ Name = 'nothing'; Make = { param($d) "$d/missing.xmp" } }
        @{ Name = 'a folder'; Make = { param($d) New-Item -ItemType Directory "$d/folder.xmp" | ForEach-Object FullName } }
    ) {
        $photo = New-Photo "$dir/b.jpg"
        $target = & $Make $dir
        New-Item -ItemType SymbolicLink -Path "$dir/b.xmp" -Target $target -Force | Out-Null

        Set-MediaXmpTag -Path $photo -Tag 'Dogs|Teddy' -ErrorVariable errs -ErrorAction SilentlyContinue

        @($errs).Count | Should -Be 1
        @(Get-ErrorIds $errs)[0] | Should -BeIn 'MediaXmpSidecarUnreadable', 'MediaXmpSidecarSymlinkRefused'
        "$($errs[0])" | Should -BeLike '*link*'
        (Get-Item "$dir/b.xmp" -Force).LinkType | Should -Be 'SymbolicLink'
        (Get-Item "$dir/b.xmp" -Force).LinkTarget | Should -Be $target
    }
}

Describe 'digiKam:TagsList' {
    BeforeAll { $dir = New-TestFolder 'digikam' }
    AfterAll { Remove-TestFolder $dir }

    It 'starts a TagsList it creates from the sidecar''s lr:hierarchicalSubject, so digiKam and Immich keep the user''s tags' {
        $photo = New-Photo "$dir/f.jpg"
        Write-Utf8 "$dir/f.xmp" $script:foodSidecar
        Set-MediaXmpTag -Path $photo -Tag 'Dogs|Teddy'
        Get-TagValues "$dir/f.xmp" 'XMP-digiKam:TagsList' | Should -Be @('Food/Fruit', 'Apple', 'Dogs/Teddy')
        Undo-MediaXmpTag
        Get-TagValues "$dir/f.xmp" 'XMP-digiKam:TagsList' | Should -BeNullOrEmpty
        Get-TagValues "$dir/f.xmp" 'XMP-lr:HierarchicalSubject' | Should -Be @('Food|Fruit', 'Apple')
    }
}

Describe 'Undo restores exactly' {
    BeforeEach {
        $dir = New-TestFolder 'exact'
        Get-MediaAsset -Path $dir | Out-Null
    }
    AfterEach { Remove-TestFolder $dir }

    It 'puts a removed tag back where it was, and the undo before it still works (<Name>)' -ForEach @(
        @{ Name = 'our sidecar'; Foreign = $false }
        @{ Name = 'a Lightroom sidecar'; Foreign = $true }
    ) {
        $photo = New-Photo "$dir/o.jpg"
        if ($Foreign) { Write-Utf8 "$dir/o.xmp" $script:foodSidecar }
        $original = if ($Foreign) { & exiftool -j -G1 -a -struct -XMP:all "$dir/o.xmp" | ConvertFrom-Json | Select-Object * -ExcludeProperty SourceFile, XMP-x:XMPToolkit | ConvertTo-Json -Depth 10 }
        Set-MediaXmpTag -Path $photo -Tag 'One', 'Two|Deep', 'Three'
        $set = @{}
        foreach ($p in 'XMP-lr:HierarchicalSubject', 'XMP-digiKam:TagsList', 'XMP-dc:Subject') { $set[$p] = Get-TagValues "$dir/o.xmp" $p }

        Remove-MediaXmpTag -Path $photo -Tag 'Two|Deep'
        Undo-MediaXmpTag -ErrorVariable e1
        foreach ($p in $set.Keys) { Get-TagValues "$dir/o.xmp" $p | Should -Be $set[$p] -Because "$p keeps its order" }

        Undo-MediaXmpTag -Library $dir -Last 1 -ErrorVariable e2
        @($e1) + @($e2) | Should -BeNullOrEmpty
        if ($Foreign) {
            & exiftool -j -G1 -a -struct -XMP:all "$dir/o.xmp" | ConvertFrom-Json | Select-Object * -ExcludeProperty SourceFile, XMP-x:XMPToolkit | ConvertTo-Json -Depth 10 | Should -Be $original
        }
        else { Test-Path "$dir/o.xmp" | Should -BeFalse }
    }
}

Describe 'Write-ahead journal' {
    BeforeEach {
        $dir = New-TestFolder 'wal'
        Get-MediaAsset -Path $dir | Out-Null
        $journal = "$dir/.mediatagger/data/tag-journal.jsonl"
    }
    AfterEach { Remove-TestFolder $dir }

    It 'journals each write before its sidecar exists, and records the outcome after' {
        $photo = New-Photo "$dir/w.jpg"
        Set-MediaXmpTag -Path $photo -Tag 'Dogs|Teddy'
        $lines = @(Get-Content $journal | ConvertFrom-Json)
        $lines.Count | Should -Be 2
        $lines[0].intent | Should -BeTrue
        $lines[0].sidecar | Should -Be "$dir/w.xmp"
        $lines[0].temp | Should -BeLike "$dir/.w.xmp.mediatagger-*.tmp"
        $lines[1].settles | Should -Be $lines[0].id
        $lines[1].outcome | Should -Be 'written'
    }

    It 'settles a write a kill left <Name> on the next run: temporary file removed, undo chain intact' -ForEach @(
        @{ Name = 'before its rename'; Renamed = $false; Outcome = 'notWritten' }
        @{ Name = 'after its rename'; Renamed = $true; Outcome = 'written' }
    ) {
        $photo = New-Photo "$dir/k.jpg"
        $other = New-Photo "$dir/other.jpg"
        Set-MediaXmpTag -Path $photo -Tag 'First'
        $afterFirst = [IO.File]::ReadAllBytes("$dir/k.xmp")
        Set-MediaXmpTag -Path $photo -Tag 'Second'
        # Make the state a kill -9 leaves: the journal line of the second write without its outcome, and (before the
        # rename) its temporary file beside the old sidecar.
        $lines = @(Get-Content $journal)
        $intent = $lines[2] | ConvertFrom-Json
        Set-Content $journal ($lines[0..2]) -Encoding utf8NoBOM
        if (-not $Renamed) {
            [IO.File]::WriteAllBytes($intent.temp, [IO.File]::ReadAllBytes("$dir/k.xmp"))
            [IO.File]::WriteAllBytes("$dir/k.xmp", $afterFirst)
        }

        Set-MediaXmpTag -Path $other -Tag 'Next' -WarningVariable warnings

        "$warnings" | Should -BeLike '*Recovered 1*'
        Test-Path $intent.temp | Should -BeFalse
        $settle = Get-Content $journal | ConvertFrom-Json | Where-Object settles -EQ $intent.id
        $settle.outcome | Should -Be $Outcome
        # Every write that happened can be undone, newest first, without a conflict.
        Undo-MediaXmpTag -Library $dir -Since (Get-Date).AddMinutes(-5) -ErrorVariable errs
        $errs | Should -BeNullOrEmpty
        Test-Path "$dir/k.xmp" | Should -BeFalse
        Test-Path "$dir/other.xmp" | Should -BeFalse
    }

    It 'settles as not written a write whose sidecar could not be replaced, so undo never tries it' -Skip:$IsWindows {
        $photo = New-Photo "$dir/ro/r.jpg"
        Get-MediaAsset -Path $dir | Out-Null
        & chmod a-w "$dir/ro"
        try { Set-MediaXmpTag -Path $photo -Tag 'X' -ErrorVariable errs -ErrorAction SilentlyContinue }
        finally { & chmod u+w "$dir/ro" }
        if ((& id -u) -eq '0') { Set-ItResult -Skipped -Because 'root writes into read-only folders'; return }
        Get-ErrorIds $errs | Should -Be 'MediaXmpSidecarWriteFailed'
        (Get-Content $journal | ConvertFrom-Json | Where-Object settles).outcome | Should -Be 'notWritten'
        Undo-MediaXmpTag -Library $dir -PassThru | Should -BeNullOrEmpty
    }
}

Describe 'Only photos and videos get tags' {
    BeforeEach { $dir = New-TestFolder 'inputs' }
    AfterEach { Remove-TestFolder $dir }

    It 'refuses a non-media path with MediaXmpNotMediaFile and writes no sidecar a photo would show' {
        $photo = New-Photo "$dir/scratch/IMG_1.jpg"
        Set-Content "$dir/scratch/IMG_1.txt" 'notes'
        $other = New-Photo "$dir/scratch/IMG_2.jpg"

        Set-MediaXmpTag -Path "$dir/scratch/IMG_1.txt", $other -Tag 'Notes|Text' -ErrorVariable errs -ErrorAction SilentlyContinue

        Get-ErrorIds $errs | Should -Be 'MediaXmpNotMediaFile'
        Test-Path "$dir/scratch/IMG_1.xmp" | Should -BeFalse
        (Get-MediaXmpTag -Path $photo).Tags | Should -BeNullOrEmpty
        Get-TagValues "$dir/scratch/IMG_2.xmp" 'XMP-lr:HierarchicalSubject' | Should -Be 'Notes|Text'
    }

    It 'takes Get-ChildItem -File output: other files are errors, sidecars stand for their photo, each photo once' {
        $photo = New-Photo "$dir/IMG_1.jpg"
        Set-Content "$dir/readme.txt" 'x'
        Set-Content "$dir/notes.txt" 'y'
        Write-Utf8 "$dir/IMG_1.xmp" $script:foodSidecar

        $out = Get-ChildItem $dir -File | Get-MediaXmpTag -SidecarOnly -ErrorVariable readErrs -ErrorAction SilentlyContinue -WarningVariable readWarnings
        @($out).Count | Should -Be 1
        $out.Path | Should -Be $photo
        @(Get-ErrorIds $readErrs) | Should -Be @('MediaXmpNotMediaFile', 'MediaXmpNotMediaFile')
        $readWarnings | Should -BeNullOrEmpty

        Get-ChildItem $dir -File | Set-MediaXmpTag -Tag 'Dogs|Teddy' -PassThru -ErrorAction SilentlyContinue -ErrorVariable errs | ForEach-Object Path | Should -Be $photo
        @(Get-ErrorIds $errs) | Should -Be @('MediaXmpNotMediaFile', 'MediaXmpNotMediaFile')
        Test-Path "$dir/readme.xmp", "$dir/notes.xmp" | Should -Be @($false, $false)
    }

    It 'skips sidecars with no single media file beside them, with one warning for the run' {
        Write-Utf8 "$dir/orphan.xmp" $script:foodSidecar
        New-Photo "$dir/IMG_2.jpg" | Out-Null
        New-Photo "$dir/IMG_2.png" | Out-Null
        Write-Utf8 "$dir/IMG_2.xmp" $script:foodSidecar

        Set-MediaXmpTag -Path "$dir/orphan.xmp", "$dir/IMG_2.xmp" -Tag 'X' -WarningVariable w -ErrorVariable errs
        $errs | Should -BeNullOrEmpty
        @($w).Count | Should -Be 1
        "$w" | Should -BeLike '*2 sidecar*'
        Get-TagValues "$dir/IMG_2.xmp" 'XMP-lr:HierarchicalSubject' | Should -Be @('Food|Fruit', 'Apple')
    }

    It 'makes a folder path one clear error, and takes its media with -Recurse' {
        New-Photo "$dir/a/p.jpg" | Out-Null
        New-Photo "$dir/a/b/q.jpg" | Out-Null
        Set-Content "$dir/a/b/n.txt" 'x'
        { Get-MediaXmpTag -Path "$dir/a" -ErrorAction Stop } | Should -Throw -ErrorId 'MediaXmpPathIsFolder,*'
        Set-MediaXmpTag -Path "$dir/a" -Tag 'X' -ErrorVariable errs -ErrorAction SilentlyContinue
        Get-ErrorIds $errs | Should -Be 'MediaXmpPathIsFolder'
        Test-Path "$dir/a/p.xmp" | Should -BeFalse

        $out = Set-MediaXmpTag -Path "$dir/a" -Recurse -Tag 'X' -PassThru
        $out.Path | Sort-Object | Should -Be @("$dir/a/b/q.jpg", "$dir/a/p.jpg")
        # Get-ChildItem -Recurse pipes folders too: they are skipped quietly, their files come anyway.
        Get-ChildItem $dir -Recurse | Get-MediaXmpTag -SidecarOnly -ErrorVariable gciErrs -ErrorAction SilentlyContinue | ForEach-Object Path | Sort-Object | Should -Be @("$dir/a/b/q.jpg", "$dir/a/p.jpg")
        Get-ErrorIds $gciErrs | Should -Be 'MediaXmpNotMediaFile'
    }
}

Describe 'No tags nobody chose' {
    BeforeEach { $dir = New-TestFolder 'surprise' }
    AfterEach { Remove-TestFolder $dir }

    It 'writes no year for a photo without a capture date unless -DateFromFileTime, and says so either way' {
        $photo = New-Photo "$dir/copied.jpg"
        (Get-Item $photo).LastWriteTime = [datetime]'2015-05-06 12:00'

        $out = Set-MediaXmpTag -Path $photo -Tag 'Dogs|Teddy' -AutoTag year, month -PassThru -WarningVariable w
        $out.Tags | Should -Be 'Dogs|Teddy'
        "$w" | Should -BeLike '*no capture date*-DateFromFileTime*'

        $out = Set-MediaXmpTag -Path $photo -AutoTag year -DateFromFileTime -PassThru -WarningVariable w2
        $out.Tags | Should -Be @('Dogs|Teddy', 'Year|2015')
        "$w2" | Should -BeLike '*modification time*'
    }

    It 'refuses -Profile without -Label (MediaXmpLabelRequired) and writes nothing' {
        $photo = New-Photo "$dir/p.jpg"
        { Set-MediaXmpTag -Path $photo -Profile pets -ErrorAction Stop } | Should -Throw -ErrorId 'MediaXmpLabelRequired,*' -ExpectedMessage '*-Label*'
        Test-Path "$dir/p.xmp" | Should -BeFalse
    }
}
