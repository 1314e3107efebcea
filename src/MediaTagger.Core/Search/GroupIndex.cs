using System.Numerics;
using MediaTagger.Core.Store;

namespace MediaTagger.Core.Search;

/// <summary>
/// Asset id → group of a resident store: an open-addressing table of group numbers (4 bytes a slot, about 1.5 slots a
/// group), built once per resident store on its first lookup. A warm query's stored anchors then cost a few probes
/// rather than a pass over every key (milliseconds at a million rows, every query).
/// </summary>
sealed class GroupIndex
{
    readonly string[] _keys;
    readonly int[]? _groupStarts;
    readonly int[] _slots; // group + 1; 0 is an empty slot
    readonly int _mask;

    public GroupIndex(string[] keys, int[]? groupStarts)
    {
        _keys = keys;
        _groupStarts = groupStarts;
        var groups = groupStarts is null ? keys.Length : groupStarts.Length - 1;
        _slots = new int[BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, groups + groups / 2))];
        _mask = _slots.Length - 1;
        for (var g = 0; g < groups; g++)
        {
            var i = string.GetHashCode(IdOf(g)) & _mask;
            while (_slots[i] != 0) i = (i + 1) & _mask;
            _slots[i] = g + 1;
        }
    }

    /// <summary>The group whose asset id is <paramref name="id"/> (compared ordinally), or −1.</summary>
    public int Find(ReadOnlySpan<char> id)
    {
        for (var i = string.GetHashCode(id) & _mask; _slots[i] != 0; i = (i + 1) & _mask)
            if (IdOf(_slots[i] - 1).SequenceEqual(id)) return _slots[i] - 1;
        return -1;
    }

    ReadOnlySpan<char> IdOf(int group) => EmbeddingStore.AssetIdPart(_keys[_groupStarts is null ? group : _groupStarts[group]]);
}
