using System.Net;
using System.Net.Sockets;
using System.Text;
using MediaTagger.Core.Common;
using MediaTagger.Core.Library;
using MediaTagger.Core.Review;
using MediaTagger.Core.Search;

namespace MediaTagger.Core.Tests.Review;

public class ReviewServerTests
{
    static List<ReviewItem> Items(int n) =>
        ReviewItem.From(Enumerable.Range(0, n).Select(i => (MediaAsset)new MediaMatch(new MediaAsset { Id = $"id{i}", Path = $"/nowhere/{i}.jpg", RelativePath = $"{i}.jpg" }) { Score = 1 - i * 0.1 }));

    static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Apply_decides_once_and_a_later_apply_or_cancel_gets_409()
    {
        using var server = ReviewServer.Start(Items(3), new ReviewOptions());
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync(new Uri(server.Url, "apply"), JsonBody("{\"approved\":[5]}"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync(new Uri(server.Url, "apply"), JsonBody("nonsense"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync(new Uri(server.Url, "apply"), JsonBody("{\"approved\":[2,0,2],\"threshold\":0.5}"))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await http.PostAsync(new Uri(server.Url, "cancel"), JsonBody("{}"))).StatusCode);

        var result = server.Wait(null, CancellationToken.None);
        Assert.Equal(ReviewEnd.Applied, result.End);
        Assert.Equal([true, false, true], result.Approved);
        Assert.Equal(0.5, result.Threshold);
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(server.Url));
    }

    [Fact]
    public void A_timeout_or_a_cancelled_token_ends_the_review_with_nothing_approved()
    {
        using (var server = ReviewServer.Start(Items(2), new ReviewOptions()))
        {
            var ticks = 0;
            var result = server.Wait(TimeSpan.FromMilliseconds(300), CancellationToken.None, _ => ticks++);
            Assert.Equal(ReviewEnd.TimedOut, result.End);
            Assert.All(result.Approved, Assert.False);
        }
        using (var server = ReviewServer.Start(Items(2), new ReviewOptions()))
        {
            using var cts = new CancellationTokenSource(200);
            Assert.Equal(ReviewEnd.Stopped, server.Wait(null, cts.Token).End);
            using var client = new TcpClient();
            Assert.ThrowsAny<SocketException>(() => client.Connect(IPAddress.Loopback, server.Port));
        }
    }

    [Fact]
    public void A_port_in_use_is_reported_with_its_error_id()
    {
        var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            var port = ((IPEndPoint)taken.LocalEndpoint).Port;
            var ex = Assert.Throws<MediaTaggerException>(() => ReviewServer.Start(Items(1), new ReviewOptions { Port = port }));
            Assert.Equal(ErrorIds.ReviewPortInUse, ex.ErrorId);
        }
        finally { taken.Stop(); }
    }

    [Fact]
    public async Task Every_frame_of_a_video_rep_is_served_by_number_and_nothing_else()
    {
        using var t = new TempFolder();
        var lib = MediaLibrary.Open(t.Path);
        var video = new MediaTagger.Core.Reps.MediaRep(new MediaAsset { Id = "v1", RelativePath = "clip.mp4", Type = MediaType.Video }.AttachTo(lib), new MediaTagger.Core.Reps.RepInfo { Frames = 2 });
        Directory.CreateDirectory(lib.RepsPath);
        File.WriteAllText(Path.Combine(lib.RepsPath, "v1.jpg"), "frame one");
        File.WriteAllText(Path.Combine(lib.RepsPath, "v1_f2.jpg"), "frame two");
        t.File("secret.txt", "secret");
        using var server = ReviewServer.Start(ReviewItem.From([video]), new ReviewOptions());
        using var http = new HttpClient();
        Assert.Equal("frame one", await http.GetStringAsync(new Uri(server.Url, "rep/0")));
        Assert.Equal("frame one", await http.GetStringAsync(new Uri(server.Url, "rep/0/1")));
        Assert.Equal("frame two", await http.GetStringAsync(new Uri(server.Url, "rep/0/2")));
        foreach (var bad in new[] { "rep/0/3", "rep/0/0", "rep/1", "rep/0/02", "secret.txt", "rep/0/..%2F..%2F..%2Fsecret.txt" })
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(server.Url, bad))).StatusCode);
        Assert.Contains("\"frames\":2", await http.GetStringAsync(new Uri(server.Url, "items")));
    }

    [Fact]
    public void A_hand_built_object_cannot_point_the_server_outside_the_reps_folder()
    {
        using var t = new TempFolder();
        var lib = MediaLibrary.Open(t.Path);
        static MediaAsset WithRep(MediaAsset a) => new MediaTagger.Core.Reps.MediaRep(a, new MediaTagger.Core.Reps.RepInfo());
        var sneaky = WithRep(new MediaAsset { Id = "../../../secret", RelativePath = "a.jpg" }.AttachTo(lib));
        var detached = WithRep(new MediaAsset { Id = "abc", RelativePath = "a.jpg" });
        var honest = WithRep(new MediaAsset { Id = "abc", RelativePath = "a.jpg" }.AttachTo(lib));
        Assert.Empty(new ReviewItem(0, sneaky).RepFiles);
        Assert.Empty(new ReviewItem(0, detached).RepFiles);
        Assert.Equal([Path.Combine(lib.RepsPath, "abc.jpg")], new ReviewItem(0, honest).RepFiles);
    }

    [Fact]
    public async Task The_item_list_carries_indices_names_and_scores_but_no_absolute_paths()
    {
        using var server = ReviewServer.Start(Items(2), new ReviewOptions { Title = "T", Label = "L", Preselect = 0.7, PreselectSource = "-Preselect" });
        using var http = new HttpClient();
        var json = await http.GetStringAsync(new Uri(server.Url, "items"));
        Assert.Contains("\"title\":\"T\"", json);
        Assert.Contains("\"preselect\":0.7", json);
        Assert.Contains("\"preselectSource\":\"-Preselect\"", json);
        Assert.Contains("\"i\":1", json);
        Assert.DoesNotContain("/nowhere", json);
        // An item without a rep has no thumbnail to serve.
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(server.Url, "rep/0"))).StatusCode);
    }
}
