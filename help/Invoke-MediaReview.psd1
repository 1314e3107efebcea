@{
    Synopsis    = 'Shows search candidates as a grid of thumbnails in your browser so you can tick the right ones, and passes on only what you approved.'
    Description = @'
No model is perfect (lookalike dogs, toys, blurry frames), so nothing should be tagged until a person has looked. Invoke-MediaReview opens a local web page with a thumbnail of every candidate, sorted by score, each with a checkbox. Nothing starts ticked unless you give an explicit preselect threshold (-Preselect, or review.preselect in the profile the search ran with): then items scoring at least it start ticked. The search's MinScore only decides what is shown, never what is approved. The page says how many are ticked and why. Move the threshold slider to tick every item at or above a score, tick or untick single items by hand (those keep their state when the slider moves), or use All, None and Invert. Click a picture (or press E) to see it large; videos show every rendered frame. The keyboard works too: arrow keys move, Space ticks, Enter applies. The number of ticked items is always shown.

Apply ends the review: the command emits the approved objects unchanged, with Approved set to $true, like Out-GridView -PassThru, so it sits in the middle of a pipeline: Find-SimilarMedia ... | Invoke-MediaReview | Set-MediaXmpTag .... With -IncludeRejected every object comes out, each with Approved $true or $false. Cancel, -Timeout and Ctrl+C in the console end the review with nothing approved.

Input is the match or asset objects piped in. With nothing piped in, the results of the library's last search (data/last_query.json) are reviewed. Every applied review is recorded in <store>/data/reviews/<UTC timestamp>.json: who decided and when (user name, machine, UTC time), the query and its key, the label, the preselect threshold and where the slider stood, and, for every item, its id, path, the video frame judged (the one that matched), score, whether it started ticked and whether it was approved. Later searches skip what you already rejected (-ExcludeReviewed), and subject learning reads these decisions.

The page is served only on 127.0.0.1 (a free port unless -Port says otherwise) and only to addresses that carry a random token made for this review; any other request is refused (403). It serves nothing but the representative images of the items under review, by number, so no request can read another file. The server stops as soon as the review ends. Your default browser opens on the page; with -NoBrowser the address is printed instead (for example over SSH with ssh -L <port>:127.0.0.1:<port>).

On Windows, -UseGridView shows a text-only list in Out-GridView instead of the page; the items you select and confirm with OK are approved.
'@
    Parameters  = @{
        Subject      = 'Reviews for a subject (see New-MediaSubject). Without piped input: active review, round after round, of its next candidates (never anything already decided), mostly the most likely plus one in six of the most uncertain; the page shows, in a panel above the candidates, the round, how many the last round approved, how many are approved in all, about how many positives are still unreviewed and a clear "Probably done" when the last round brought almost nothing new; after each round the console reports the same. Each round''s model and what its scores measured are recorded with the decisions (they become the tags'' provenance). For a person subject (New-MediaSubject -Kind Person) the candidates are faces: the page shows each face cropped from its picture, and the decision records which face was judged. Nothing is ticked unless -Preselect is given. With piped input: the decisions on those items are recorded for the subject.'
        BatchSize    = 'With -Subject: candidates per round (default 24).'
        Rounds       = 'With -Subject: how many rounds to review before returning (default 1); it stops earlier when probably done.'
        Model        = 'With -Subject: the model whose embeddings rank the candidates (default: the subject''s profile''s, else the library''s only store).'
        InputObject     = 'The candidates: MediaMatch objects from Find-SimilarMedia or Find-MediaByText, or MediaAsset objects from Get-MediaAsset. Usually piped in. When nothing is piped in, the results of the last search of the library are reviewed.'
        Library         = 'The library whose last search (data/last_query.json) is reviewed when nothing is piped in. Defaults to the library used last in this session.'
        StorePath       = 'The store folder of the library, when it is kept outside the library (see Get-MediaAsset -StorePath).'
        Label           = 'What you are reviewing the candidates as, for example Teddy. Shown on the page and recorded with the decisions, so later searches can leave out what you rejected for this label.'
        Preselect       = 'Items scoring at least this start ticked when the page opens (alias -Threshold). Without it, the review.preselect of -Profile (or of the profile the search ran with) applies; with neither, nothing starts ticked. Choose it apart from the search''s MinScore: what is worth showing is not what is worth approving.'
        Profile         = 'The profile whose review.preselect decides what starts ticked. Defaults to the profile the search ran with (saved in the query).'
        IncludeRejected = 'Emit every reviewed object, each with Approved set to $true or $false, instead of only the approved ones.'
        Port            = 'The TCP port on 127.0.0.1 to serve the page on, for example one you forward over SSH. By default a free port is chosen.'
        NoBrowser       = 'Do not open a browser; print the address of the page instead (for SSH sessions with port forwarding, or to open it in a browser of your choice).'
        Timeout         = 'Seconds to wait for Apply or Cancel. When they pass, the review ends with nothing approved and the page stops answering. By default the review waits until you answer or press Ctrl+C.'
        UseGridView     = 'Windows only: review a text list (score, name, path) in Out-GridView instead of the page. Select the items to approve and press OK; Cancel approves nothing.'
    }
    Examples    = @(
        @{
            Title   = 'Teach a subject, a round at a time'
            Code    = "Invoke-MediaReview -Subject Teddy -Library ~/Pictures -Rounds 4"
            Remarks = 'Each round shows 24 candidates; tick the ones that are Teddy and press Apply. The ranking retrains after every round.'
        }
        @{
            Title   = 'Confirm search results before tagging'
            Code    = "Find-SimilarMedia -Library ~/Pictures -Anchor ./teddy1.jpg, ./teddy2.jpg | Invoke-MediaReview -Label Teddy | Set-MediaXmpTag -Profile pets -Label Teddy"
            Remarks = 'Opens the review page in your browser. Only the pictures you leave ticked when you press Apply are tagged.'
        }
        @{
            Title   = 'Review the last search again'
            Code    = 'Invoke-MediaReview -Library ~/Pictures -Preselect 0.8'
            Remarks = 'Reviews the results saved by the last Find-SimilarMedia or Find-MediaByText of the library, with only items scoring 0.8 or more ticked at first.'
        }
        @{
            Title   = 'Review on a remote machine over SSH'
            Code    = 'Invoke-MediaReview -Library /srv/photos -NoBrowser -Port 8765 -Timeout 1800'
            Remarks = 'Prints the address instead of opening a browser. On your own computer run ssh -L 8765:127.0.0.1:8765 <server> and open the printed address there. After 30 minutes without an answer nothing is approved.'
        }
        @{
            Title   = 'Keep every decision'
            Code    = "`$all = Find-MediaByText -Library ~/Pictures -Text 'a photo of a dog' | Invoke-MediaReview -IncludeRejected`n`$all | Group-Object Approved"
            Remarks = 'Every candidate comes out with Approved set to $true or $false.'
        }
        @{
            Title   = 'A text list on Windows'
            Code    = 'Find-SimilarMedia -Anchor .\teddy.jpg | Invoke-MediaReview -UseGridView'
            Remarks = 'Uses Out-GridView instead of the browser page.'
        }
    )
    Inputs      = 'MediaTagger.Core.Search.MediaMatch and MediaTagger.Core.Library.MediaAsset objects.'
    Links       = @('Find-SimilarMedia', 'Find-MediaByText', 'Set-MediaXmpTag', 'Out-GridView')
}
