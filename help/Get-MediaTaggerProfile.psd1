@{
    Synopsis    = 'Lists the profiles (pets, people, places, events, objects and your own) that preset tags, automatic tags and search settings.'
    Description = @'
A profile is a small JSON file that makes the same pipeline serve a kind of subject. Its fields: tagTemplate ("Pets|{label}"), queryDefaults (k and minScore for image queries and for text queries separately, because their useful score ranges differ), promptTemplates for text search ("a photo of {label}"), autoTags (year, month, camera, place), sidecarNaming (Basename or FullName), subjectLevels (AllLevels or Leaf) and model (an installed model name, or null for the default).

MediaTagger ships pets, people, places, events and objects. Add your own as <name>.json in the per-user profile folder (on Linux ~/.local/share/mediatagger/profiles, on macOS ~/Library/Application Support/MediaTagger/profiles, on Windows %LOCALAPPDATA%\MediaTagger\profiles; MEDIATAGGER_HOME moves it); a profile of yours with the name of a shipped one replaces it. A profile file that does not parse or has invalid values is reported (MediaProfileInvalid) and the others are still listed.

Profile names tab-complete on every -Profile parameter.
'@
    Parameters  = @{
        Name = 'Names of profiles to show; wildcards allowed. All profiles when omitted.'
    }
    Examples    = @(
        @{
            Title   = 'List the profiles'
            Code    = 'Get-MediaTaggerProfile'
            Remarks = 'Shows name, whether it is built in, tag template, automatic tags and description.'
        }
        @{
            Title   = 'Make your own profile from a shipped one'
            Code    = "`$dir = Split-Path (Get-MediaTaggerProfile pets).Source; Copy-Item `$dir/pets.json ~/.local/share/mediatagger/profiles/horses.json"
            Remarks = 'Edit tagTemplate to "Horses|{label}"; then Set-MediaXmpTag -Profile horses -Label Star.'
        }
    )
    Links       = @('Set-MediaXmpTag')
}
