using System.Reactive.Concurrency;

namespace ReactiveKv.Keyspace;

/// <summary>Faults and the lease machinery they set off: losing the lease, elections, the new master's first round.</summary>
internal sealed partial class ClusterModel
{
    /// <summary>Kills a node: its connections drop, its queue is lost; a killed master starts an election.</summary>
    public void Kill(int node)
    {
        lock (_gate)
        {
            KillLocked(_nodes[node]);
        }
    }

    /// <summary>Starts a killed node again: it catches up from the others and names no master until it hears the lease.</summary>
    public void Restart(int node)
    {
        lock (_gate)
        {
            var at = _nodes[node];
            if (at.Alive)
            {
                return;
            }

            at.Alive = true;
            at.RestartedAt = _clock.Now;
            if (!Replicated)
            {
                // Single mode is always its own master.
                at.IsMaster = true;
                at.Safe = true;
            }

            CatchUp(at);
            Reevaluate();
        }
    }

    /// <summary>Cuts a node off from the others (clients still reach it); a cut-off master keeps its lease until it ends.</summary>
    public void Isolate(int node)
    {
        lock (_gate)
        {
            var at = _nodes[node];
            if (at.Isolated)
            {
                return;
            }

            at.MasterAtIsolation = ReportedMaster(at);
            at.Isolated = true;
            at.IsolatedAt = _clock.Now;
            if (at.IsMaster)
            {
                Lost(at);
            }

            Reevaluate();
        }
    }

    /// <summary>Joins a cut-off node back: it catches up, and a second lease holder steps down.</summary>
    public void Heal(int node)
    {
        lock (_gate)
        {
            var at = _nodes[node];
            if (!at.Isolated)
            {
                return;
            }

            at.Isolated = false;
            if (at.IsMaster && _nodes.Any(n => n != at && n.IsMaster))
            {
                StepDown(at);
            }

            CatchUp(at);
            Reevaluate();
        }
    }

    /// <summary>Drops every client connection of a node; the node keeps running.</summary>
    public void DropConnections(int node)
    {
        IReplySink[] open;
        lock (_gate)
        {
            open = [.. _nodes[node].Connections];
            _nodes[node].Connections.Clear();
        }

        foreach (var sink in open)
        {
            sink.Abort();
        }
    }

    /// <summary>Stops the cluster's timers.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            foreach (var node in _nodes)
            {
                node.LeaseLoss?.Dispose();
                node.LeaseLoss = null;
            }

            _election?.Dispose();
            _expiry?.Dispose();
            (_election, _expiry) = (null, null);
        }
    }

    private void KillLocked(ClusterNode node)
    {
        if (!node.Alive)
        {
            return;
        }

        node.Alive = false;
        node.Queue.Clear();
        node.QueuedBytes = 0;
        // A copy: an abort on this thread removes the connection from the set at once.
        foreach (var sink in node.Connections.ToArray())
        {
            sink.Abort();
        }

        node.Connections.Clear();
        if (node.IsMaster)
        {
            Lost(node);
            node.IsMaster = false;
            node.Safe = false;
            node.LeaseLoss?.Dispose();
            node.LeaseLoss = null;
        }

        Reevaluate();
    }

    // The others go on naming a lost master until its lease would have ended.
    private void Lost(ClusterNode master)
    {
        _lostMaster = master.Id;
        _lostAt = _clock.Now;
    }

    /// <summary>
    /// After any change: a lease holder without a majority loses its lease after the lease time; a majority without
    /// a working master elects one after the election delay.
    /// </summary>
    private void Reevaluate()
    {
        if (!Replicated)
        {
            ArmExpiry();
            return;
        }

        foreach (var holder in _nodes.Where(n => n.IsMaster))
        {
            // Each lease holder has its own clock: a cut-off one keeps counting down after a new master is elected.
            if (!CanCommit(holder))
            {
                holder.LeaseLoss ??= After(_options.LeaseTimeout, () => LoseLease(holder));
            }
            else
            {
                holder.LeaseLoss?.Dispose();
                holder.LeaseLoss = null;
            }
        }

        var committing = _nodes.Any(n => n.IsMaster && CanCommit(n));

        var majority = _nodes.Count(n => n.Alive && !n.Isolated) >= Majority;
        if (!committing && majority)
        {
            _election ??= After(_options.ElectionDelay, Elect);
        }
        else
        {
            _election?.Dispose();
            _election = null;
        }

        ArmExpiry();
    }

    private void LoseLease(ClusterNode master)
    {
        master.LeaseLoss = null;
        if (!master.IsMaster || CanCommit(master))
        {
            return;
        }

        if (!master.Isolated)
        {
            // Its own side heard it until now; the lease is over for them too.
            _lostMaster = -1;
        }

        StepDown(master);
        Reevaluate();
    }

    /// <summary>Gives up the lease: writes still queued get <c>n</c> on their open connections (§5, §8.2).</summary>
    private static void StepDown(ClusterNode master)
    {
        foreach (var (write, sink, _) in master.Queue)
        {
            sink.Send(ServerReply.NotMaster(write.Id));
        }

        master.Queue.Clear();
        master.QueuedBytes = 0;
        master.IsMaster = false;
        master.Safe = false;
        master.LeaseLoss?.Dispose();
        master.LeaseLoss = null;
    }

    private void Elect()
    {
        _election = null;
        var candidates = _nodes.Where(n => n.Alive && !n.Isolated).ToList();
        if (candidates.Count < Majority || Committing() is not null)
        {
            return;
        }

        // A node that lags cannot win; among the current ones the lowest id does, deterministically.
        var round = candidates.Max(n => n.State.Round);
        var winner = candidates.First(n => n.State.Round == round);
        foreach (var lagging in candidates.Where(n => n.State.Round < round))
        {
            lagging.State = winner.State.Clone();
        }

        winner.IsMaster = true;
        winner.Safe = false;
        _lostMaster = -1;
        if (_options.NopRoundDelay <= TimeSpan.Zero)
        {
            ApplyNop(winner);
        }
        else
        {
            After(_options.NopRoundDelay, () => ApplyNop(winner));
        }

        Reevaluate();
    }

    /// <summary>The new master's empty round: from now on it serves safe reads, and writes queued meanwhile go in the next round.</summary>
    private void ApplyNop(ClusterNode master)
    {
        if (!master.IsMaster || master.Safe || !CanCommit(master))
        {
            return;
        }

        master.Safe = true;
        EndRound(master, Followers(master));
        if (master.Queue.Count > 0)
        {
            ApplyRound(master);
        }

        ArmExpiry();
    }

    private void CatchUp(ClusterNode node)
    {
        var best = _nodes.Where(n => n != node && n.Alive && !n.Isolated).MaxBy(n => n.State.Round);
        if (best is not null && best.State.Round > node.State.Round)
        {
            node.State = best.State.Clone();
            node.CatchingUpUntil = _clock.Now + _options.CatchUpDelay;
        }
    }

    /// <summary>Runs <paramref name="action"/> under the lock after <paramref name="delay"/> on the cluster's clock.</summary>
    private IDisposable After(TimeSpan delay, Action action) => _clock.Schedule(delay, () =>
    {
        lock (_gate)
        {
            action();
        }
    });
}
