namespace ReactiveKv.KyotoTycoon;

/// <summary>
/// ktserver's named condition variables (<c>WAIT</c>, <c>SIGNAL</c>, <c>SIGNALBROAD</c>): a waiter is woken by one
/// signal (or by a broadcast) that comes while it waits; a signal with nobody waiting is lost and wakes 0. Waiters
/// live on several loops, so this is guarded by a lock and wakes each waiter through its own callback.
/// </summary>
internal sealed class KtConditions
{
    private readonly object _gate = new();
    private readonly Dictionary<string, LinkedList<Action>> _waiters = new(StringComparer.Ordinal);

    /// <summary>Fires (on the waiter's loop) each time a request starts waiting; tests use it instead of sleeping.</summary>
    public event Action<string>? Waiting;

    /// <summary>
    /// Registers <paramref name="wake"/> under <paramref name="name"/>. The result withdraws it (on a timeout or a lost
    /// connection) and says whether it was still waiting: false means a signal took it and its wake-up is on the way.
    /// </summary>
    private Func<bool> Wait(string name, Action wake)
    {
        LinkedListNode<Action> node;
        lock (_gate)
        {
            if (!_waiters.TryGetValue(name, out var list))
            {
                _waiters[name] = list = new LinkedList<Action>();
            }

            node = list.AddLast(wake);
        }

        Waiting?.Invoke(name);

        return () => Withdraw(name, node);
    }

    /// <summary>
    /// Waits, on <paramref name="loop"/>, for a signal on any of <paramref name="names"/> or for
    /// <paramref name="timeout"/>, then calls <paramref name="settled"/> there once: true when signalled, false when
    /// the time ran out first. The result cancels the wait (a lost connection) without calling it.
    /// </summary>
    public Action WaitOnLoop(EventLoop loop, IReadOnlyList<string> names, TimeSpan timeout, Action<bool> settled)
    {
        var done = false;
        IDelayedCall? timer = null;
        var withdrawals = new List<Func<bool>>();
        withdrawals.AddRange(names.Select(name => Wait(name, () => loop.CallFromThread(() => Settle(true)))));
        timer = loop.CallLater(timeout, () =>
        {
            // Withdraw from every name; if a signal took any of them, its wake-up is already on its way.
            if (withdrawals.Select(withdraw => withdraw()).ToList().TrueForAll(stillWaiting => stillWaiting))
            {
                Settle(false);
            }
        });
        return () => Finish();

        void Settle(bool signaled)
        {
            if (Finish())
            {
                settled(signaled);
            }
        }

        bool Finish()
        {
            if (done)
            {
                return false;
            }

            done = true;
            withdrawals.ForEach(withdraw => withdraw());
            if (timer is { Active: true })
            {
                timer.Cancel();
            }

            return true;
        }
    }

    /// <summary>Wakes the oldest waiter (or all of them); how many were woken.</summary>
    public int Signal(string name, bool broadcast)
    {
        var woken = new List<Action>();
        lock (_gate)
        {
            if (_waiters.TryGetValue(name, out var list))
            {
                while (list.First is { } first && (broadcast || woken.Count == 0))
                {
                    woken.Add(first.Value);
                    list.RemoveFirst();
                }

                if (list.Count == 0)
                {
                    _waiters.Remove(name);
                }
            }
        }

        foreach (var wake in woken)
        {
            wake();
        }

        return woken.Count;
    }

    private bool Withdraw(string name, LinkedListNode<Action> node)
    {
        lock (_gate)
        {
            if (node.List is not { } list)
            {
                return false;
            }

            list.Remove(node);
            if (list.Count == 0)
            {
                _waiters.Remove(name);
            }

            return true;
        }
    }
}
