using MediaTagger.Core.Common;
using MediaTagger.Core.Models;
using MediaTagger.Core.Search;
using MediaTagger.Core.Store;

namespace MediaTagger.Core.Tests.Search;

public class QueryReadAheadTests
{
    [Fact]
    public void Gives_the_stamp_and_model_it_read_for_their_own_store_and_model_only_and_a_slot_reloads_on_a_changed_stamp()
    {
        using var f = new SearchFixture();
        f.Embed(("a", SearchFixture.Axis(0)));
        using var slot = new ResidentStoreSlot(f.Location);
        slot.Acquire().Dispose();
        using var model = ResNet18Model.Load();

        // Unchanged since the slot loaded: the stamp read ahead is the store's, and acquiring with it loads nothing.
        var ahead = QueryReadAhead.Start(f.StoreFolder, "resnet18", name => name == "resnet18" ? model : throw new InvalidOperationException(name));
        Assert.Equal(StoreStamp.Read(f.StoreFolder), ahead.StampFor(f.StoreFolder));
        Assert.Same(model, ahead.ModelFor("resnet18"));
        Assert.Null(ahead.StampFor(f.StoreFolder + "-other"));
        Assert.Null(ahead.ModelFor("clip-vit-base-patch32"));
        slot.Acquire(stamp: ahead.StampFor(f.StoreFolder)).Dispose();
        Assert.Equal(1, slot.LoadCount);

        // Written after the last load and before the read-ahead started: the slot sees the change.
        f.Embed(("b", SearchFixture.Axis(1)));
        ahead = QueryReadAhead.Start(f.StoreFolder, "resnet18", _ => model);
        using (var lease = slot.Acquire(stamp: ahead.StampFor(f.StoreFolder))) Assert.Equal(["a", "b"], lease.Store.Keys);
        Assert.Equal(2, slot.LoadCount);
    }

    [Fact]
    public void A_model_that_does_not_open_or_a_store_that_is_gone_is_left_to_the_query_to_report()
    {
        using var f = new SearchFixture();
        var notInstalled = new MediaTaggerException(ErrorIds.ModelNotInstalled, "not installed", ErrorKind.NotInstalled);
        var ahead = QueryReadAhead.Start(Path.Combine(f.StoreFolder, "missing"), "gone", _ => throw notInstalled);
        Assert.Null(ahead.ModelFor("gone"));
        Assert.Equal(default(StoreStamp), ahead.StampFor(Path.Combine(f.StoreFolder, "missing"))); // as StoreStamp.Read says of a missing folder
    }
}
