namespace ReactiveKv.Keyspace;

/// <summary>Expiry as intended (§7.5): the master deletes a key when its time comes, replicated like a round.</summary>
internal sealed partial class ClusterModel
{
    /// <summary>Sets the timer for the master's earliest expiry; 1.9.0 never arms one (§12 item 3).</summary>
    private void ArmExpiry()
    {
        _expiry?.Dispose();
        _expiry = null;
        if (_options.Quirks190 || Committing() is not { } master || master.State.Expiries.Count == 0)
        {
            return;
        }

        var due = master.State.Expiries.Values.Min();
        var delay = TimeSpan.FromMilliseconds(Math.Max(0, due - NowMs));
        _expiry = After(delay, FireExpiries);
    }

    private void FireExpiries()
    {
        _expiry = null;
        if (Committing() is { } master)
        {
            var now = NowMs;
            var due = master.State.Expiries.Where(e => e.Value <= now).Select(e => e.Key).ToList();
            var followers = Followers(master);
            foreach (var key in due)
            {
                master.State.Expire(key);
                foreach (var follower in followers)
                {
                    follower.State.Expire(key);
                }
            }

            if (due.Count > 0)
            {
                EndRound(master, followers);
            }
        }

        ArmExpiry();
    }
}
