#requires -Version 7.4
<#
.SYNOPSIS
    Generates the module's MAML help (en-US/MediaTagger.PowerShell.dll-Help.xml) from help/<Cmdlet>.psd1.
.DESCRIPTION
    Each help/<Verb-Noun>.psd1 holds Synopsis, Description, Parameters (name -> text), Examples (Title, Code, Remarks),
    optional Notes and Links. Parameter types, positions, sets and pipeline binding come from the built cmdlet itself,
    so they never drift from the code. A cmdlet without a help file, or a parameter without text, fails the build.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
$commonParameters = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
# -WhatIf and -Confirm belong in the syntax and parameter list of every cmdlet that has them (Get-Help adds only
# [<CommonParameters>] itself); their text is PowerShell's standard one unless a help file says more.
$shouldProcessText = @{
    WhatIf  = 'Shows what would happen if the cmdlet runs. The cmdlet is not run.'
    Confirm = 'Prompts you for confirmation before running the cmdlet.'
}
$documented = { param($name) $name -notin $commonParameters -or $shouldProcessText.ContainsKey($name) }

# The type as a person reads it: Double for Nullable`1[Double], List[String] for List`1[String].
function TypeName([type] $type) {
    $type = [Nullable]::GetUnderlyingType($type) ?? $type
    if (-not $type.IsGenericType) { return $type.Name }
    "$($type.Name -replace '`\d+$')[$(($type.GetGenericArguments() | ForEach-Object { TypeName $_ }) -join ', ')]"
}

function Esc([string] $s) { [System.Security.SecurityElement]::Escape($s) }
function Para([string] $text) {
    (($text -split "(`r?`n){2,}") | Where-Object { $_.Trim() } | ForEach-Object { "<maml:para>$(Esc $_.Trim())</maml:para>" }) -join ''
}

$problems = [System.Collections.Generic.List[string]]::new()
$sb = [System.Text.StringBuilder]::new()
[void]$sb.AppendLine('<?xml version="1.0" encoding="utf-8"?>')
[void]$sb.AppendLine('<helpItems schema="maml" xmlns="http://msh">')

foreach ($cmd in Get-Command -Module MediaTagger -CommandType Cmdlet | Sort-Object Name) {
    $file = Join-Path $PSScriptRoot "$($cmd.Name).psd1"
    if (-not (Test-Path $file)) { $problems.Add("$($cmd.Name): no help file $file"); continue }
    $h = Import-PowerShellDataFile $file
    $paramText = @{} + $shouldProcessText + ($h.Parameters ?? @{})
    $parameters = $cmd.Parameters.Values | Where-Object { & $documented $_.Name }
    foreach ($p in $parameters) { if (-not $paramText[$p.Name]) { $problems.Add("$($cmd.Name): parameter -$($p.Name) has no description") } }
    if (-not $h.Examples) { $problems.Add("$($cmd.Name): no example") }

    $paramXml = {
        param($p, [int] $positionIndex, [bool] $mandatory)
        $pipeline = @(
            if ($p.ParameterSets.Values | Where-Object ValueFromPipeline) { 'ByValue' }
            if ($p.ParameterSets.Values | Where-Object ValueFromPipelineByPropertyName) { 'ByPropertyName' }
        )
        $pipelineText = if ($pipeline) { "True ($($pipeline -join ', '))" } else { 'False' }
        $position = if ($positionIndex -ge 0) { $positionIndex } else { 'named' }
        $isSwitch = $p.ParameterType -eq [switch]
        $typeName = TypeName $p.ParameterType
        $aliases = if ($p.Aliases.Count) { $p.Aliases -join ', ' } else { 'None' }
        $valid = ($p.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] }).ValidValues
        $enumValues = if ($p.ParameterType.IsEnum) { [enum]::GetNames($p.ParameterType) } else { $valid }
        $x = "<command:parameter required=""$($mandatory.ToString().ToLower())"" variableLength=""$($p.ParameterType.IsArray.ToString().ToLower())"" globbing=""false"" pipelineInput=""$pipelineText"" position=""$position"" aliases=""$(Esc $aliases)"">"
        $x += "<maml:name>$($p.Name)</maml:name><maml:description>$(Para $paramText[$p.Name])</maml:description>"
        if ($enumValues) {
            $x += '<command:parameterValueGroup>' + (($enumValues | ForEach-Object { "<command:parameterValue required=""false"" variableLength=""false"">$(Esc $_)</command:parameterValue>" }) -join '') + '</command:parameterValueGroup>'
        }
        if (-not $isSwitch) { $x += "<command:parameterValue required=""true"" variableLength=""false"">$(Esc $typeName)</command:parameterValue>" }
        $x += "<dev:type><maml:name>$(Esc ([Nullable]::GetUnderlyingType($p.ParameterType) ?? $p.ParameterType).FullName)</maml:name><maml:uri /></dev:type><dev:defaultValue>None</dev:defaultValue></command:parameter>"
        $x
    }

    [void]$sb.AppendLine('<command:command xmlns:maml="http://schemas.microsoft.com/maml/2004/10" xmlns:command="http://schemas.microsoft.com/maml/dev/command/2004/10" xmlns:dev="http://schemas.microsoft.com/maml/dev/2004/10" xmlns:MSHelp="http://msdn.microsoft.com/mshelp">')
    [void]$sb.AppendLine("<command:details><command:name>$($cmd.Name)</command:name><command:verb>$($cmd.Verb)</command:verb><command:noun>$($cmd.Noun)</command:noun><maml:description>$(Para $h.Synopsis)</maml:description></command:details>")
    [void]$sb.AppendLine("<maml:description>$(Para $h.Description)</maml:description>")
    [void]$sb.Append('<command:syntax>')
    foreach ($set in $cmd.ParameterSets) {
        [void]$sb.Append("<command:syntaxItem><maml:name>$($cmd.Name)</maml:name>")
        foreach ($sp in $set.Parameters | Where-Object { & $documented $_.Name }) {
            [void]$sb.Append((& $paramXml $cmd.Parameters[$sp.Name] $sp.Position $sp.IsMandatory))
        }
        [void]$sb.Append('</command:syntaxItem>')
    }
    [void]$sb.AppendLine('</command:syntax>')
    [void]$sb.Append('<command:parameters>')
    foreach ($p in $parameters | Sort-Object Name) {
        $first = $p.ParameterSets.Values | Select-Object -First 1
        [void]$sb.Append((& $paramXml $p $first.Position ([bool]($p.ParameterSets.Values | Where-Object IsMandatory))))
    }
    [void]$sb.AppendLine('</command:parameters>')
    $inputs = $h.Inputs ?? 'System.String[] (paths) and objects with a Path property, such as MediaTagger assets and Get-ChildItem items.'
    [void]$sb.AppendLine("<command:inputTypes><command:inputType><dev:type><maml:name>$(Esc $inputs)</maml:name></dev:type><maml:description /></command:inputType></command:inputTypes>")
    [void]$sb.Append('<command:returnValues>')
    foreach ($t in $cmd.OutputType) { [void]$sb.Append("<command:returnValue><dev:type><maml:name>$(Esc $t.Name)</maml:name></dev:type><maml:description /></command:returnValue>") }
    [void]$sb.AppendLine('</command:returnValues>')
    if ($h.Notes) { [void]$sb.AppendLine("<maml:alertSet><maml:alert>$(Para $h.Notes)</maml:alert></maml:alertSet>") }
    [void]$sb.Append('<command:examples>')
    $i = 0
    foreach ($ex in $h.Examples) {
        $i++
        [void]$sb.Append("<command:example><maml:title>-------------------------- Example $i`: $(Esc $ex.Title) --------------------------</maml:title><dev:code>$(Esc $ex.Code)</dev:code><dev:remarks>$(Para $ex.Remarks)</dev:remarks></command:example>")
    }
    [void]$sb.AppendLine('</command:examples>')
    [void]$sb.Append('<command:relatedLinks>')
    foreach ($l in $h.Links) { [void]$sb.Append("<maml:navigationLink><maml:linkText>$(Esc $l)</maml:linkText><maml:uri /></maml:navigationLink>") }
    [void]$sb.AppendLine('</command:relatedLinks>')
    [void]$sb.AppendLine('</command:command>')
}
[void]$sb.AppendLine('</helpItems>')

if ($problems.Count) { throw "Help is incomplete:`n  $($problems -join "`n  ")" }
$out = Join-Path $ModulePath 'en-US'
New-Item -ItemType Directory -Force $out | Out-Null
[System.IO.File]::WriteAllText((Join-Path $out 'MediaTagger.PowerShell.dll-Help.xml'), $sb.ToString(), [System.Text.UTF8Encoding]::new($false))
