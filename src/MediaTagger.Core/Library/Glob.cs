using System.Text;
using System.Text.RegularExpressions;

namespace MediaTagger.Core.Library;

/// <summary>
/// An exclude pattern in the .gitignore spirit: without '/' it matches any file or folder name
/// (<c>*.tmp</c>, <c>Backup</c>); with '/' it matches the root-relative path (<c>2019/Exports/*</c>, <c>**/raw</c>).
/// '*' and '?' stay within one path segment, '**' spans segments; matching ignores case.
/// </summary>
public sealed class Glob
{
    readonly Regex _regex;

    public Glob(string pattern)
    {
        Pattern = pattern;
        var p = pattern.Replace('\\', '/').Trim();
        MatchesPath = p.Contains('/');
        p = p.Trim('/');
        var sb = new StringBuilder("^");
        for (var i = 0; i < p.Length; i++)
        {
            var c = p[i];
            if (c == '*' && i + 1 < p.Length && p[i + 1] == '*')
            {
                // "**/" also matches zero folders.
                if (i + 2 < p.Length && p[i + 2] == '/') { sb.Append("(?:.*/)?"); i += 2; }
                else { sb.Append(".*"); i++; }
            }
            else if (c == '*') sb.Append("[^/]*");
            else if (c == '?') sb.Append("[^/]");
            else sb.Append(Regex.Escape(c.ToString()));
        }
        sb.Append('$');
        // Case-insensitive everywhere, like PowerShell's own wildcards (-Exclude '*.nef' drops DSC_1.NEF on Linux too).
        _regex = new Regex(sb.ToString(), RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
    }

    public string Pattern { get; }

    /// <summary>True when the pattern is matched against the whole relative path rather than a single name.</summary>
    public bool MatchesPath { get; }

    public bool IsMatch(string name, string relativePath) => _regex.IsMatch(MatchesPath ? relativePath : name);

    public static bool AnyMatch(IReadOnlyList<Glob> globs, string name, string relativePath)
    {
        foreach (var g in globs)
            if (g.IsMatch(name, relativePath)) return true;
        return false;
    }
}
