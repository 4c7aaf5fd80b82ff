namespace ReactiveKv.Amqp;

/// <summary>
/// The deliveries of one channel session that wait for the application's ack, nack or reject, oldest first; and the
/// single acks of one loop turn that settle them in delivery order, held so they go out as one multiple ack.
/// </summary>
/// <remarks>
/// An application that acks each message makes the broker parse, look up and settle one frame per message; folding a
/// turn's in-order run into <c>basic.ack(last, multiple)</c> gives it one. That is exact, not approximate: a multiple
/// ack settles every delivery of the channel up to its tag that is still unacknowledged, and a run is only extended
/// while its next ack is for the oldest delivery this session has not settled, so nothing the application did not ack
/// is covered. Anything else (an ack out of order, a nack, a reject, any other method on the channel) first writes the
/// run held so far, so the channel's frames keep the application's order.
/// </remarks>
internal sealed class AckCoalescer
{
    private readonly Queue<ulong> _unsettled = new();
    private readonly HashSet<ulong> _settledOutOfOrder = [];
    private readonly List<AmqpCommand> _held = [];
    private ulong _heldUpTo;

    /// <summary>True while acks of this turn are held.</summary>
    public bool HasHeld => _held.Count > 0;

    /// <summary>A delivery that needs settling (not auto-acked) arrived; tags only grow within a session.</summary>
    public void Delivered(ulong deliveryTag) => _unsettled.Enqueue(deliveryTag);

    /// <summary>Holds a single ack when it settles the oldest unsettled delivery; false when it must be written as it is.</summary>
    public bool TryHold(ulong deliveryTag, AmqpCommand command)
    {
        SkipSettledHead();
        if (!_unsettled.TryPeek(out var oldest) || oldest != deliveryTag)
        {
            return false;
        }

        _unsettled.Dequeue();
        _held.Add(command);
        _heldUpTo = deliveryTag;
        return true;
    }

    /// <summary>An ack, nack or reject was written as it is: those deliveries need nothing more.</summary>
    public void Settled(ulong deliveryTag, bool multiple)
    {
        if (multiple)
        {
            while (_unsettled.TryPeek(out var oldest) && oldest <= deliveryTag)
            {
                _unsettled.Dequeue();
                _settledOutOfOrder.Remove(oldest);
            }

            return;
        }

        if (_unsettled.TryPeek(out var head) && head == deliveryTag)
        {
            _unsettled.Dequeue();
            SkipSettledHead();
        }
        else if (_unsettled.Count > 0 && deliveryTag > head)
        {
            _settledOutOfOrder.Add(deliveryTag);
        }
    }

    /// <summary>Every delivery so far needs nothing more (basic.recover gives them new tags).</summary>
    public void Forget()
    {
        _unsettled.Clear();
        _settledOutOfOrder.Clear();
    }

    /// <summary>
    /// Takes the held run: the ack to write (the single one as the application sent it, or one multiple ack up to the
    /// run's last tag) and the commands it settles, in order. The caller writes it, then settles them.
    /// </summary>
    public (BasicAck Ack, AmqpCommand[] Settles) TakeHeld()
    {
        var settles = _held.ToArray();
        _held.Clear();
        var ack = settles.Length == 1 ? (BasicAck)settles[0].Method : new BasicAck { DeliveryTag = _heldUpTo, Multiple = true };
        return (ack, settles);
    }

    /// <summary>Takes the held commands without writing them (the session ended before the turn did).</summary>
    public AmqpCommand[] DropHeld()
    {
        var dropped = _held.ToArray();
        _held.Clear();
        return dropped;
    }

    private void SkipSettledHead()
    {
        while (_settledOutOfOrder.Count > 0 && _unsettled.TryPeek(out var oldest) && _settledOutOfOrder.Remove(oldest))
        {
            _unsettled.Dequeue();
        }
    }
}
