namespace MediaTagger.Core.Search;

/// <summary>One candidate of a scan: the asset group, its best row (frame) and that row's score.</summary>
public readonly record struct ScanHit(int Group, int Row, float Score)
{
    /// <summary>Best first; equal scores in store order, so results are deterministic.</summary>
    public static int CompareBestFirst(ScanHit a, ScanHit b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Group.CompareTo(b.Group);
}

/// <summary>
/// Keeps the K best hits seen so far in a binary min-heap: the root is the weakest kept hit, so most candidates
/// are rejected by one comparison and the scan stays O(N log K).
/// </summary>
public sealed class TopKHeap
{
    readonly int _capacity;
    ScanHit[] _items;
    int _count;

    public TopKHeap(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _items = new ScanHit[Math.Min(capacity, 1024)];
    }

    /// <summary>True when a hit with this score and group would be kept.</summary>
    public bool Accepts(float score, int group) => _count < _capacity || Weaker(_items[0], score, group);

    public void Push(ScanHit hit)
    {
        if (_count < _capacity)
        {
            if (_count == _items.Length) Array.Resize(ref _items, (int)Math.Min(_capacity, (long)_items.Length * 2));
            _items[_count] = hit;
            SiftUp(_count++);
        }
        else if (Weaker(_items[0], hit.Score, hit.Group))
        {
            _items[0] = hit;
            SiftDown(0);
        }
    }

    public IEnumerable<ScanHit> Items => _items.Take(_count);

    // The weaker of two hits: lower score, or on a tie the later group (earlier groups win ties).
    static bool Weaker(in ScanHit kept, float score, int group) => kept.Score < score || (kept.Score == score && kept.Group > group);

    static bool Weaker(in ScanHit a, in ScanHit b) => Weaker(a, b.Score, b.Group);

    void SiftUp(int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (!Weaker(_items[i], _items[parent])) break;
            (_items[i], _items[parent]) = (_items[parent], _items[i]);
            i = parent;
        }
    }

    void SiftDown(int i)
    {
        while (true)
        {
            int left = 2 * i + 1, right = left + 1, weakest = i;
            if (left < _count && Weaker(_items[left], _items[weakest])) weakest = left;
            if (right < _count && Weaker(_items[right], _items[weakest])) weakest = right;
            if (weakest == i) return;
            (_items[i], _items[weakest]) = (_items[weakest], _items[i]);
            i = weakest;
        }
    }
}
