# Shared fixtures for the Pester tests: real photographs from Debian packages, temporary libraries, child pwsh processes.
Set-StrictMode -Version Latest

$script:WallpaperRoot = '/usr/share/wallpapers'
$script:SkimageRoot = '/usr/lib/python3/dist-packages/skimage/data'

<#
.SYNOPSIS
    Real photographs on this machine, one per distinct picture (the wallpaper packages ship several sizes of each).
#>
function Get-TestPhoto {
    [CmdletBinding()]
    param(
        [int] $Count = [int]::MaxValue,
        [ValidateSet('Any', 'Jpeg', 'Png')] [string] $Format = 'Any'
    )
    $photos = @(
        Get-ChildItem $script:WallpaperRoot -Directory -ErrorAction Ignore | ForEach-Object {
            Get-ChildItem (Join-Path $_.FullName 'contents/images') -File -ErrorAction Ignore |
                Where-Object Extension -In '.jpg', '.png' |
                Sort-Object Length | Select-Object -First 1
        }
        foreach ($name in 'astronaut', 'coffee', 'chelsea', 'motorcycle_left', 'rocket', 'hubble_deep_field', 'immunohistochemistry', 'retina') {
            Get-Item (Join-Path $script:SkimageRoot "$name.png") -ErrorAction Ignore
            Get-Item (Join-Path $script:SkimageRoot "$name.jpg") -ErrorAction Ignore
        }
    ) | Where-Object { $_ }
    if ($Format -eq 'Jpeg') { $photos = $photos | Where-Object Extension -EQ '.jpg' }
    if ($Format -eq 'Png') { $photos = $photos | Where-Object Extension -EQ '.png' }
    if (-not $photos) { throw "No test photographs found: install plasma-workspace-wallpapers and python3-skimage." }
    $photos | Select-Object -First $Count | ForEach-Object FullName
}

<#
.SYNOPSIS
    A fresh, empty temporary folder (removed by Remove-TestFolder).
#>
function New-TestFolder {
    param([string] $Name = 'lib')
    $path = Join-Path ([IO.Path]::GetTempPath()) "mt-$Name-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    New-Item -ItemType Directory -Path $path | Select-Object -ExpandProperty FullName
}

function Remove-TestFolder([string] $Path) {
    if ($Path -and (Test-Path $Path)) {
        # Undo permission tricks of hostile-input tests before deleting.
        if ($IsLinux -or $IsMacOS) { & chmod -R u+rwx -- $Path 2>$null }
        Remove-Item -LiteralPath $Path -Recurse -Force -ErrorAction SilentlyContinue
        # .NET cannot name a file whose name is not UTF-8 (the hostile-name tests make some): rm can.
        if (($IsLinux -or $IsMacOS) -and (Test-Path -LiteralPath $Path)) { & rm -rf -- $Path }
    }
}

<#
.SYNOPSIS
    The command line of the real pwsh running this test (never the dotnet-tool shim, whose child survives a kill).
#>
function Get-PwshCommand {
    $dll = Join-Path $PSHOME 'pwsh.dll'
    if ([Environment]::ProcessPath -match 'dotnet(\.exe)?$' -and (Test-Path $dll)) { return @([Environment]::ProcessPath, $dll) }
    @((Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')))
}

<#
.SYNOPSIS
    Starts a child pwsh that imports the module and runs a script; returns the Process (stdout/stderr redirected to files).
#>
function Start-ModuleProcess {
    param(
        [Parameter(Mandatory)] [string] $Script,
        [string] $OutFile = (New-TemporaryFile).FullName
    )
    $pwsh = Get-PwshCommand
    $full = "`$ErrorActionPreference='Stop'; Import-Module '$env:MEDIATAGGER_MODULE'; $Script"
    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($full))
    $psi = [Diagnostics.ProcessStartInfo]::new($pwsh[0])
    foreach ($a in @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-EncodedCommand', $encoded)) { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    [Diagnostics.Process]::Start($psi)
}

<#
.SYNOPSIS
    Stops a process and all its children (a pwsh started through a launcher has a child of its own).
#>
function Stop-ProcessTree([Diagnostics.Process] $Process) {
    if (-not $Process.HasExited) { $Process.Kill($true) }
    $Process.WaitForExit(10000) | Out-Null
}

<#
.SYNOPSIS
    Starts a review script (Invoke-MediaReview ... -NoBrowser) in a new runspace of this process and waits for its page.
    Returns PowerShell, Handle, Output and Url (null when no page appeared within 30 s); the caller disposes PowerShell.
#>
function Start-ReviewRunspace([Parameter(Mandatory)] [string] $Script) {
    $ps = [powershell]::Create()
    $null = $ps.AddCommand('Import-Module').AddArgument($env:MEDIATAGGER_MODULE).Invoke()
    $ps.Commands.Clear()
    $null = $ps.AddScript($Script)
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
    [pscustomobject]@{ PowerShell = $ps; Handle = $handle; Output = $output; Url = $url }
}

<#
.SYNOPSIS
    The error records a command wrote, run with -ErrorVariable semantics, as a flat list.
#>
function Get-ErrorIds($Errors) {
    @($Errors | ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] })
}


<#
.SYNOPSIS
    The vector store of a library and model as its owner reads it (meta, live keys, data and index files); $null when there is none.
#>
function Get-TestStore {
    param([Parameter(Mandatory)] [string] $Library, [Parameter(Mandatory)] [string] $Model, [string] $StorePath)
    $lib = if ($StorePath) { [MediaTagger.Core.Library.MediaLibrary]::Open($Library, $StorePath) } else { [MediaTagger.Core.Library.MediaLibrary]::Open($Library) }
    [MediaTagger.Core.Store.StoreSnapshot]::Open([MediaTagger.Core.Store.StoreLocation]::new($lib, $Model), $true, [NullString]::Value, 0)
}

<#
.SYNOPSIS
    Writes a changed copy of an image (Magick.NET, loaded by the caller): $Change gets the MagickImage to edit.
#>
function Save-Variant([string] $Source, [string] $Destination, [scriptblock] $Change) {
    $img = [ImageMagick.MagickImage]::new($Source)
    try {
        & $Change $img
        New-Item -ItemType Directory -Force (Split-Path $Destination) | Out-Null
        $img.Write($Destination)
    }
    finally { $img.Dispose() }
}

<#
.SYNOPSIS
    An npm package's tarball, fetched by npm at test time into output/npm (build.ps1 Test fetches them first); never committed.
#>
function Get-NpmTarball([string] $Spec, [string] $File) {
    $folder = Join-Path $env:MEDIATAGGER_REPO 'output/npm'
    $path = Join-Path $folder $File
    if (-not (Test-Path $path)) {
        # Packed beside, then renamed: never a half-written tarball under the final name.
        $staging = New-Item -ItemType Directory -Force (Join-Path $folder ".pack-$([guid]::NewGuid().ToString('N'))")
        & npm pack $Spec --pack-destination $staging 2>&1 | Out-Null
        Move-Item (Join-Path $staging $File) $path -Force
        Remove-Item $staging -Recurse -Force
    }
    $path
}

Export-ModuleMember -Function Get-NpmTarball, Get-TestPhoto, New-TestFolder, Remove-TestFolder, Get-PwshCommand, Start-ModuleProcess, Stop-ProcessTree, Start-ReviewRunspace, Get-ErrorIds, Get-TestStore, Save-Variant
