#requires -Version 7.4
<#
.SYNOPSIS
    Runs the Pester tests against a built module, in this (child) process, and writes the counts to a JSON file.
#>
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $ResultFile,
    [string] $TestPath
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force
$env:MEDIATAGGER_MODULE = (Resolve-Path $ModulePath).Path
$env:MEDIATAGGER_REPO = Split-Path $PSScriptRoot -Parent

$config = New-PesterConfiguration
$config.Run.Path = if ($TestPath) { $TestPath -split ',' } else { Join-Path $PSScriptRoot 'Pester' }
$config.Run.Exit = $false
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$config.Should.ErrorAction = 'Continue'
$config.TestResult.Enabled = $true
$config.TestResult.OutputPath = [IO.Path]::ChangeExtension($ResultFile, '.xml')

$result = Invoke-Pester -Configuration $config
# Failed blocks (BeforeAll) and containers (a file that does not parse) hide their tests: count them as failures.
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
[ordered]@{ Passed = $result.PassedCount; Failed = $failed; Skipped = $result.SkippedCount } |
    ConvertTo-Json | Set-Content -LiteralPath $ResultFile

