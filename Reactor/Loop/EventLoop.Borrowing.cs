namespace ReactiveKv;

// Borrowing an idle loop. A thread-pool caller that sends one request at a time would otherwise pay a loop wake-up
// (an eventfd write, a context switch) just to have its bytes written, on top of the wake-up for the reply. While
// the loop is parked in its poller with nothing queued, such a caller may instead take the loop's turn, run one piece
// of loop work and the end-of-turn flush on its own thread (so the send system call is the caller's), and give the
// turn back. The turn is what makes this safe: the loop touches its state only while it holds it, and takes it back
// (waiting for a borrower to finish) before it dispatches anything its poller fetched.
public sealed partial class EventLoop
{
    // The loop holds the turn, running work or about to sleep.
    private const int TurnLoop = 0;

    // The loop is parked in its poller and touches nothing: a thread on no loop may borrow the turn.
    private const int TurnFree = 1;

    // Another thread holds the turn.
    private const int TurnBorrowed = 2;

    // Another thread holds the turn and the loop, awake, waits for it: the borrower hands it straight back, and no
    // other thread may borrow it meanwhile, so a stream of borrowers cannot starve the loop.
    private const int TurnAwaited = 3;

    private readonly ManualResetEventSlim _handBack = new(false);
    private int _turn = TurnLoop;
    private long _parkedUntil;
    private long _wakeUps;
    private long _borrowedTurns;

    /// <summary>Times another thread woke (or asked to wake) the loop's poller; for tests.</summary>
    internal long WakeUps => Interlocked.Read(ref _wakeUps);

    /// <summary>Times another thread ran work as this loop on its own thread; for tests.</summary>
    internal long BorrowedTurns => Interlocked.Read(ref _borrowedTurns);

    /// <summary>True while the loop is parked in its poller and nobody holds its turn; for tests.</summary>
    internal bool IsParked => Volatile.Read(ref _turn) == TurnFree;

    /// <summary>True while the loop, awake, waits for a borrower to give its turn back; for tests.</summary>
    internal bool AwaitsBorrower => Volatile.Read(ref _turn) == TurnAwaited;

    /// <summary>
    /// Runs <paramref name="callback"/> now, on the calling thread but as this loop (<see cref="IsLoopThread"/>,
    /// <see cref="Current"/> and the loop's synchronization context hold for its duration), followed by the work it
    /// registered with <see cref="RunAtEndOfTurn"/>, when the loop is idle: parked in its poller with nothing queued.
    /// Returns false, having run nothing, when the loop is busy, has work queued (which must run first), is stopping,
    /// or the caller is on a loop thread itself; the caller then posts as usual. It never waits.
    /// </summary>
    internal bool TryRunWhileIdle(Action<object?> callback, object? state)
    {
        if (s_current is not null || Interlocked.CompareExchange(ref _turn, TurnBorrowed, TurnFree) != TurnFree)
        {
            return false;
        }

        // Checked holding the turn: work posted earlier (by this caller, say) must run before what it asks now.
        if (!_queue.IsEmpty || Volatile.Read(ref _state) != 1)
        {
            ReturnTurn();
            return false;
        }

        RunBorrowedTurn(callback, state);
        return true;
    }

    private void RunBorrowedTurn(Action<object?> callback, object? state)
    {
        // Installed only for the turn: an await begun inside it (a handshake, say) must resume on the loop, and a task
        // completed inside it must not run its continuations inline on a thread that is, for now, the loop.
        var callerContext = SynchronizationContext.Current;
        s_current = this;
        SynchronizationContext.SetSynchronizationContext(SynchronizationContext);
        try
        {
            Interlocked.Increment(ref _borrowedTurns);
            Invoke(callback, state);
            RunEndOfTurn();
            WakeForEarlierTimer();
        }
        finally
        {
            s_current = null;
            SynchronizationContext.SetSynchronizationContext(callerContext);
            ReturnTurn();
        }
    }

    // Work posted inside the turn already woke the loop (it is parked, so Post sees it sleeping); a timer added inside
    // it is only noticed if it is due before the time the loop parked until.
    private void WakeForEarlierTimer()
    {
        if (_timers.TryPeek(out _, out var key) && key.Due < _parkedUntil)
        {
            WakeUp();
        }
    }

    private void ReturnTurn()
    {
        if (Interlocked.CompareExchange(ref _turn, TurnFree, TurnBorrowed) != TurnBorrowed)
        {
            // Awaited: the loop woke meanwhile. Hand the turn over directly, so no other borrower gets in first.
            Interlocked.Exchange(ref _turn, TurnLoop);
            _handBack.Set();
        }
    }

    /// <summary>Waits in the poller with the turn given up, then takes it back before dispatching what is ready.</summary>
    private void Park(IPoller poller, int timeoutMs, long wakeBy)
    {
        _parkedUntil = wakeBy;

        // A full fence: everything this thread wrote is visible to the borrower that takes the turn after it.
        Interlocked.Exchange(ref _turn, TurnFree);
        var ready = 0;
        try
        {
            ready = poller.Wait(timeoutMs);
        }
        finally
        {
            TakeTurnBack();
        }

        poller.Dispatch(ready);
    }

    private void TakeTurnBack()
    {
        while (Interlocked.CompareExchange(ref _turn, TurnLoop, TurnFree) != TurnFree)
        {
            // Borrowed. Reset before announcing the wait: the borrower sets the event only after it sees the announcement.
            _handBack.Reset();
            if (Interlocked.CompareExchange(ref _turn, TurnAwaited, TurnBorrowed) == TurnBorrowed)
            {
                // Borrowed turns are a few microseconds: the event spins briefly before it blocks.
                while (Volatile.Read(ref _turn) != TurnLoop)
                {
                    _handBack.Wait();
                }

                return;
            }

            // The borrower gave the turn back between the two exchanges: take it as usual.
        }
    }
}
