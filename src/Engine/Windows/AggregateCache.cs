namespace ModelWatch.Engine.Windows;

/// <summary>
/// The decoded aggregates reads reuse (stored slots and merged window parts), least recently used first out, bounded
/// by <c>Portal:Aggregates:CacheMegabytes</c> as estimated by each entry. Values are sealed: readers merge from them,
/// nobody writes to them. Thread-safe.
/// </summary>
public sealed class AggregateCache(long capacityBytes)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<object, LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _order = []; // most recent first

    private sealed record Entry(object Key, object Value, long Bytes);

    public long CapacityBytes { get; } = capacityBytes;

    public long UsedBytes { get; private set; }

    public int Count
    {
        get { lock (_lock) return _entries.Count; }
    }

    public bool TryGet<T>(object key, out T value) where T : class
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node) && node.Value.Value is T found)
            {
                _order.Remove(node);
                _order.AddFirst(node);
                value = found;
                return true;
            }
        }
        value = null!;
        return false;
    }

    /// <summary>Stores a value; an entry larger than the whole cache is not kept (the caller still uses it once).</summary>
    public void Put(object key, object value, long bytes)
    {
        lock (_lock)
        {
            RemoveLocked(key);
            if (bytes > CapacityBytes) return;
            _entries[key] = _order.AddFirst(new Entry(key, value, bytes));
            UsedBytes += bytes;
            while (UsedBytes > CapacityBytes && _order.Last is { } oldest) RemoveLocked(oldest.Value.Key);
        }
    }

    public void Remove(object key)
    {
        lock (_lock) RemoveLocked(key);
    }

    /// <summary>Drops the entries a predicate picks (a model's slots after a flush or a retention pass).</summary>
    public void RemoveWhere(Func<object, object, bool> predicate)
    {
        lock (_lock)
        {
            foreach (var key in _entries.Where(e => predicate(e.Key, e.Value.Value.Value)).Select(e => e.Key).ToList()) RemoveLocked(key);
        }
    }

    private void RemoveLocked(object key)
    {
        if (!_entries.Remove(key, out var node)) return;
        _order.Remove(node);
        UsedBytes -= node.Value.Bytes;
    }
}
