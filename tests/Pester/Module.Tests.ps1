BeforeDiscovery {
    Import-Module $env:MEDIATAGGER_MODULE -Force
    $cmdlets = @(Get-Command -Module MediaTagger -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name } })
}

BeforeAll {
    Import-Module $env:MEDIATAGGER_MODULE -Force
}

Describe 'The MediaTagger module' {
    It 'imports in a fresh pwsh and exports only approved verbs' {
        $approved = (Get-Verb).Verb
        $commands = Get-Command -Module MediaTagger
        $commands | Should -Not -BeNullOrEmpty
        foreach ($c in $commands) { $c.Verb | Should -BeIn $approved -Because "$($c.Name) must use an approved verb" }
    }

    It 'exports exactly the cmdlets its manifest lists' {
        $manifest = Import-PowerShellDataFile (Join-Path $env:MEDIATAGGER_MODULE 'MediaTagger.psd1')
        $manifest.PowerShellVersion | Should -Be '7.4'
        $manifest.CompatiblePSEditions | Should -Be @('Core')
        (Get-Command -Module MediaTagger).Name | Sort-Object | Should -Be ($manifest.CmdletsToExport | Sort-Object)
    }

    It 'declares an output type for every cmdlet, and each has a default table view' {
        foreach ($c in Get-Command -Module MediaTagger) {
            $c.OutputType | Should -Not -BeNullOrEmpty -Because "$($c.Name) needs [OutputType]"
            foreach ($t in $c.OutputType.Type | Where-Object { $_ -and $_.Namespace -like 'MediaTagger*' }) {
                Get-FormatData -TypeName $t.FullName | Should -Not -BeNullOrEmpty -Because "$($t.FullName) needs a view"
            }
        }
    }
}

Describe 'Help' {
    It 'shows a synopsis, every parameter and an example for <Name>' -ForEach $cmdlets {
        $help = Get-Help $Name -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match "^\s*$Name\s*(\[|$)" -Because 'an auto-generated synopsis means the help file was not found'
        @($help.Examples.Example).Count | Should -BeGreaterThan 0
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        foreach ($p in (Get-Command $Name).Parameters.Keys | Where-Object { $_ -notin $common }) {
            $ph = $help.parameters.parameter | Where-Object name -EQ $p
            $ph | Should -Not -BeNullOrEmpty -Because "-$p must be documented"
            ($ph.description.Text -join '') | Should -Not -BeNullOrEmpty -Because "-$p needs a description"
        }
    }
}
