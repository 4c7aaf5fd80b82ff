namespace ReactiveKv.KyotoTycoon;

/// <summary>
/// The server's update log as ktserver keeps it, in files of a bounded size (<c>-ulim</c>) that <c>ulog_list</c>
/// lists and <c>ulog_remove</c> deletes (never the newest). In memory the total is capped too: past
/// <see cref="KtServerOptions.UpdateLogMaxBytes"/> the oldest files go, so a slave that asks for older records
/// starts from the oldest one kept, as a ktserver whose old files were removed would. Callers hold the server's lock.
/// </summary>
internal sealed class UpdateLog(long fileBytes, long maxBytes)
{
    private readonly List<Segment> _segments = [];
    private int _nextNumber = 1;
    private long _bytes;

    public ulong LastTimestamp => _segments.Count == 0 ? 0 : _segments[^1].LastTs;

    public void Append(ulong ts, ushort sid, byte[] message)
    {
        if (_segments.Count == 0 || _segments[^1].Bytes >= fileBytes)
        {
            _segments.Add(new Segment(_nextNumber++));
        }

        var segment = _segments[^1];
        segment.Records.Add((ts, sid, message));
        segment.Bytes += message.Length;
        _bytes += message.Length;
        while (_bytes > maxBytes && _segments.Count > 1)
        {
            Drop(0);
        }
    }

    /// <summary>Records after <paramref name="timestamp"/>, oldest first, at most <paramref name="max"/>.</summary>
    public List<(ulong Ts, ushort Sid, byte[] Message)> After(ulong timestamp, int max)
    {
        var result = new List<(ulong, ushort, byte[])>();
        foreach (var segment in _segments)
        {
            if (segment.LastTs <= timestamp)
            {
                continue;
            }

            var from = FirstAfter(segment.Records, timestamp);
            var take = Math.Min(segment.Records.Count - from, max - result.Count);
            result.AddRange(segment.Records.GetRange(from, take));
            if (result.Count == max)
            {
                break;
            }
        }

        return result;
    }

    /// <summary>Each file as <c>ulog_list</c> reports it: its path, bytes held, and newest timestamp.</summary>
    public IEnumerable<(string Path, long Bytes, ulong LastTs)> Files =>
        _segments.Select(s => ($"ulog/{s.Number:D10}.ulog", s.Bytes, s.LastTs));

    /// <summary><c>ulog_remove</c>: drops files whose newest record is at or before <paramref name="timestamp"/>, never the newest file.</summary>
    public void RemoveUpTo(ulong timestamp)
    {
        while (_segments.Count > 1 && _segments[0].LastTs <= timestamp)
        {
            Drop(0);
        }
    }

    private void Drop(int index)
    {
        _bytes -= _segments[index].Bytes;
        _segments.RemoveAt(index);
    }

    // Timestamps only grow, so a binary search finds where the newer records start.
    private static int FirstAfter(List<(ulong Ts, ushort Sid, byte[] Message)> records, ulong timestamp)
    {
        int low = 0, high = records.Count;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (records[mid].Ts <= timestamp)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    private sealed class Segment(int number)
    {
        public int Number { get; } = number;

        public List<(ulong Ts, ushort Sid, byte[] Message)> Records { get; } = [];

        public long Bytes { get; set; }

        public ulong LastTs => Records.Count == 0 ? 0 : Records[^1].Ts;
    }
}
