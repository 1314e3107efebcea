using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MediaTagger.Review.Tests;

/// <summary>What came out of Invoke-MediaReview in the child pwsh.</summary>
sealed record Emitted(string Id, bool? Approved, double? Score, string Type);

/// <summary>
/// Invoke-MediaReview -NoBrowser in a child pwsh that imports the BUILT module, exactly as a user runs it. The page
/// address is read from its output; what the cmdlet emits is written as JSON when it returns.
/// </summary>
sealed partial class ReviewProcess : IDisposable
{
    readonly Process _process;
    readonly string _resultFile;
    readonly StringBuilder _output = new();
    readonly TaskCompletionSource<Uri> _url = new(TaskCreationOptions.RunContinuationsAsynchronously);

    ReviewProcess(Process process, string resultFile)
    {
        _process = process;
        _resultFile = resultFile;
    }

    /// <param name="invocation">The pipeline, e.g. "Invoke-MediaReview -Library '...'"; -NoBrowser is added.</param>
    public static async Task<ReviewProcess> StartAsync(string invocation)
    {
        var resultFile = Path.Combine(Path.GetTempPath(), "mt-review-out-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        var script = $$"""
            $ErrorActionPreference = 'Stop'
            Import-Module {{TestLibrary.Quote(TestEnvironment.ModulePath)}}
            $out = @({{invocation}} -NoBrowser)
            $rows = @($out | ForEach-Object { [ordered]@{ Id = $_.Id; Approved = $_.Approved; Score = $_.PSObject.Properties['Score']?.Value; Type = $_.GetType().Name } })
            ConvertTo-Json -InputObject $rows -Compress | Set-Content -LiteralPath {{TestLibrary.Quote(resultFile)}}
            """;
        var pwsh = TestEnvironment.PwshCommand;
        var psi = new ProcessStartInfo(pwsh[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in pwsh.Skip(1)) psi.ArgumentList.Add(a);
        foreach (var a in new[] { "-NoProfile", "-NonInteractive", "-EncodedCommand", Convert.ToBase64String(Encoding.Unicode.GetBytes(script)) }) psi.ArgumentList.Add(a);
        var review = new ReviewProcess(Process.Start(psi)!, resultFile);
        review._process.OutputDataReceived += (_, e) => review.OnLine(e.Data);
        review._process.ErrorDataReceived += (_, e) => review.OnLine(e.Data);
        review._process.BeginOutputReadLine();
        review._process.BeginErrorReadLine();
        review._process.EnableRaisingEvents = true;
        review._process.Exited += (_, _) => review._url.TrySetException(new InvalidOperationException("pwsh exited before printing the review address:\n" + review.Output));
        var first = await Task.WhenAny(review._url.Task, Task.Delay(TimeSpan.FromSeconds(90)));
        if (first != review._url.Task)
        {
            review.Dispose();
            throw new TimeoutException("No review address within 90 s:\n" + review.Output);
        }
        review.Url = await review._url.Task;
        return review;
    }

    void OnLine(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
        if (UrlLine().Match(line) is { Success: true } m) _url.TrySetResult(new Uri(m.Groups[1].Value));
    }

    [GeneratedRegex(@"Review [\d,.]+ items at (http://\S+)")]
    private static partial Regex UrlLine();

    public Uri Url { get; private set; } = null!;

    public int Port => Url.Port;

    /// <summary>The token: the first path segment of the address.</summary>
    public string Token => Url.AbsolutePath.Trim('/');

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>Waits for the cmdlet to return and reads what it emitted.</summary>
    public async Task<List<Emitted>> WaitForResultAsync(TimeSpan? limit = null)
    {
        using var cts = new CancellationTokenSource(limit ?? TimeSpan.FromSeconds(60));
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("Invoke-MediaReview did not return:\n" + Output);
        }
        Assert.True(_process.ExitCode == 0, $"pwsh exited with {_process.ExitCode}:\n{Output}");
        Assert.True(File.Exists(_resultFile), "The child wrote no result:\n" + Output);
        return JsonSerializer.Deserialize<List<Emitted>>(File.ReadAllText(_resultFile), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
    }

    public void Dispose()
    {
        // The whole tree: whatever the child started must not outlive the test (or keep its port open).
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
        try { File.Delete(_resultFile); } catch (IOException) { }
    }
}
